namespace Cluster.Coordinator.Attempts;

/// <summary>
/// How long a job's accepted attempts took: the mean over all of them, and the median of the latest few, recomputed
/// only when another one was recorded (the scheduler asks far more often than chunks finish).
/// </summary>
internal sealed class AttemptDurations
{
    private const int Samples = 255;
    private readonly long[] _latest = new long[Samples];
    private long _sum;
    private long _count;
    private long _median;
    private long _medianAtCount = -1;

    /// <summary>Mean execution time, once enough attempts finished to say.</summary>
    public long? MeanMicros => _count >= 8 ? _sum / _count : null;

    /// <summary>Median execution time of recent attempts, once at least three finished.</summary>
    public long? MedianMicros
    {
        get
        {
            var n = (int)Math.Min(_count, Samples);
            if (n < 3)
            {
                return null;
            }

            if (_medianAtCount != _count)
            {
                var copy = _latest.AsSpan(0, n).ToArray();
                Array.Sort(copy);
                _median = copy[n / 2];
                _medianAtCount = _count;
            }

            return _median;
        }
    }

    public void Record(long micros)
    {
        _latest[_count % Samples] = micros;
        _sum += micros;
        _count++;
    }
}
