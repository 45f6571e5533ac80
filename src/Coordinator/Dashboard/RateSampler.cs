namespace Cluster.Coordinator.Dashboard;

/// <summary>
/// Rates of growing counts (chunks done by a worker or a job) over about the last <see cref="Window"/>, from the counts
/// seen at each snapshot. Keys not seen in a sweep are forgotten, so it holds only what the dashboard shows.
/// </summary>
internal sealed class RateSampler(TimeProvider time)
{
    /// <summary>The shortest time between two samples of one key; a rate is measured over at least this.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Sample> _samples = new(StringComparer.Ordinal);
    private int _sweep;

    /// <summary>Starts a sweep: keys not sampled by the next <see cref="EndSweep"/> are dropped.</summary>
    public void BeginSweep()
    {
        lock (_gate)
        {
            _sweep++;
        }
    }

    /// <summary>The rate of <paramref name="key"/>'s count, per second; 0 until it was seen twice a window apart.</summary>
    public double Rate(string key, long count)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_samples.TryGetValue(key, out var last))
            {
                _samples[key] = new Sample(count, now, 0, _sweep);
                return 0;
            }

            var elapsed = time.GetElapsedTime(last.Stamp, now);
            if (elapsed < Window)
            {
                _samples[key] = last with { Sweep = _sweep };
                return last.Rate;
            }

            var rate = Math.Max(0, count - last.Count) / elapsed.TotalSeconds;
            _samples[key] = new Sample(count, now, rate, _sweep);
            return rate;
        }
    }

    /// <summary>Drops the keys this sweep did not sample.</summary>
    public void EndSweep()
    {
        lock (_gate)
        {
            foreach (var key in _samples.Where(s => s.Value.Sweep != _sweep).Select(s => s.Key).ToList())
            {
                _samples.Remove(key);
            }
        }
    }

    private readonly record struct Sample(long Count, long Stamp, double Rate, int Sweep);
}
