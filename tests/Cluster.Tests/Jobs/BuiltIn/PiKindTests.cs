using Cluster.Jobs.BuiltIn.Pi;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class PiKindTests
{
    private static readonly long[] Seeds = [0, 1, 2];

    private readonly PiKind _kind = new();

    [Fact]
    public void Run_SameSeed_SameInsideCountWhateverTheChunking()
    {
        InProcessRunOptions[] chunkings =
        [
            new() { Threads = 1, Chunks = 1 },
            new() { Threads = 2, Chunks = 3 },
            new() { Threads = 2, Chunks = 17, ShuffleSeed = 1 },
            new() { Threads = 2, Chunks = 100, ShuffleSeed = 2 },
            new() { Threads = 2, ChunkSize = 4_099 },
        ];

        var counts = chunkings
            .Select(o => Summary(Run(_kind, Params(("samples", 300_000L), ("seed", 42L)), o)).GetProperty("inside").GetInt64())
            .ToList();

        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }

    [Fact]
    public void Run_SmallJob_MatchesSequentialSplitMix64Stream()
    {
        // The kind promises sample i = outputs 2i and 2i+1 of the plain, stateful SplitMix64 generator.
        const long seed = 7;
        const int samples = 5_000;
        var state = unchecked((ulong)seed);
        long expected = 0;
        for (var i = 0; i < samples; i++)
        {
            var x = (NextSplitMix64(ref state) >> 11) / 9007199254740992.0;
            var y = (NextSplitMix64(ref state) >> 11) / 9007199254740992.0;
            expected += (x * x) + (y * y) < 1.0 ? 1 : 0;
        }

        var summary = Summary(Run(_kind, Params(("samples", (long)samples), ("seed", seed)), new InProcessRunOptions { Threads = 2, Chunks = 9 }));

        Assert.Equal(expected, summary.GetProperty("inside").GetInt64());
        Assert.Equal(4.0 * expected / samples, summary.GetProperty("estimate").GetDouble());
    }

    [Fact]
    public void Run_TenMillionSamples_EstimateWithinFiveStandardErrors()
    {
        const long samples = 10_000_000;

        var estimate = Summary(Run(_kind, Params(("samples", samples)))).GetProperty("estimate").GetDouble();

        var p = Math.PI / 4;
        var standardError = 4 * Math.Sqrt(p * (1 - p) / samples);
        Assert.InRange(estimate, Math.PI - (5 * standardError), Math.PI + (5 * standardError));
    }

    [Fact]
    public void Run_DifferentSeeds_DifferentCounts()
    {
        var counts = Seeds
            .Select(seed => Summary(Run(_kind, Params(("samples", 1_000_000L), ("seed", seed)))).GetProperty("inside").GetInt64())
            .ToList();

        Assert.Equal(3, counts.Distinct().Count());
    }

    [Fact]
    public void Run_Summary_EchoesSamplesAndSeed()
    {
        var summary = Summary(Run(_kind, Params(("samples", 1_000L), ("seed", -3L))));

        Assert.Equal(1_000, summary.GetProperty("samples").GetInt64());
        Assert.Equal(-3, summary.GetProperty("seed").GetInt64());
    }

    [Fact]
    public void Plan_ZeroSamples_ThrowsNamingSamples()
    {
        Assert.Equal("samples", Rejects(_kind, Params(("samples", 0L))).Field);
    }

    private static ulong NextSplitMix64(ref ulong state)
    {
        state = unchecked(state + 0x9E3779B97F4A7C15);
        var z = state;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EB);
        return z ^ (z >> 31);
    }
}
