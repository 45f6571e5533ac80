using System.Diagnostics;
using System.Text.Json;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.Jobs.BuiltIn.Primes;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Sizes prime-counting jobs by time: measures the sieve once on this machine, then picks [0, to) ranges that take
/// about the asked-for time on one thread.
/// </summary>
internal sealed class PrimeCalibration
{
    /// <summary>Chunks of every prime job, in process and on the cluster alike, so both split the work the same way.</summary>
    public const long Chunks = 64;

    /// <summary>End of a range small enough to warm a worker up with (well under a second of work).</summary>
    public const long WarmUpTo = 5 * Step;

    private const long Step = 100_000_000;
    private double _numbersPerSecond;

    /// <summary>The end of a [0, to) range that takes about <paramref name="singleThreadWork"/> on one thread.</summary>
    public long RangeFor(TimeSpan singleThreadWork)
    {
        if (_numbersPerSecond == 0)
        {
            // The first call pays for JIT and cold caches; the timed one runs warm.
            PrimeSieve.CountPrimes(0, Step);
            _numbersPerSecond = Rate(0);
        }

        // Sieving costs more per number higher up, so the rate at the bottom overshoots; the rate at the middle of
        // the first guess is close to the mean over the range.
        var guess = End(_numbersPerSecond, singleThreadWork);
        return End(Rate(guess / 2), singleThreadWork);
    }

    private static double Rate(long from)
    {
        var clock = Stopwatch.StartNew();
        new PrimeSieve(from + (10 * Step)).Count(from, from + (10 * Step));
        return 10 * Step / clock.Elapsed.TotalSeconds;
    }

    private static long End(double numbersPerSecond, TimeSpan work) =>
        Math.Max(Step, (long)Math.Round(numbersPerSecond * work.TotalSeconds / Step) * Step);

    public static Dictionary<string, object> Parameters(long to) => new(StringComparer.Ordinal) { ["from"] = 0L, ["to"] = to };

    public static JobSpec Spec(long to)
    {
        var spec = JobSpecs.Create("primes", Parameters(to));
        spec.Chunks = Chunks;
        return spec;
    }

    /// <summary>The <c>count</c> of a primes result summary.</summary>
    public static long Count(string summaryJson)
    {
        using var document = JsonDocument.Parse(summaryJson);
        return document.RootElement.GetProperty("count").GetInt64();
    }

    /// <exception cref="InvalidOperationException">The cluster counted differently from the in-process run.</exception>
    public static void Check(long expected, JobInfo job)
    {
        var counted = Count(job.ResultJson);
        if (counted != expected)
        {
            throw new InvalidOperationException($"Job {job.JobId} counted {counted} primes; the in-process run counted {expected}.");
        }
    }
}
