using Cluster.Jobs.BuiltIn.Primes;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class PrimesKindTests
{
    private readonly PrimesKind _kind = new();

    [Theory]
    [InlineData(1_000_000L, 78_498L)]
    [InlineData(10_000_000L, 664_579L)]
    [InlineData(100_000_000L, 5_761_455L)]
    public void Run_PowersOfTen_MatchKnownPrimeCounts(long to, long expected)
    {
        var summary = Summary(Run(_kind, Params(("from", 0L), ("to", to)), new InProcessRunOptions { Threads = 2, Chunks = 16 }));

        Assert.Equal(expected, summary.GetProperty("count").GetInt64());
        Assert.Equal(to, summary.GetProperty("to").GetInt64());
        Assert.Equal(0, summary.GetProperty("from").GetInt64());
    }

    [Fact]
    public void Run_DifferentChunkings_SameCount()
    {
        var counts = Chunkings(chunkSize: 99_991)
            .Select(o => Summary(Run(_kind, Params(("from", 1_000_003L), ("to", 3_000_017L)), o)).GetProperty("count").GetInt64())
            .ToList();

        Assert.Equal(CountByTrialDivision(1_000_003, 3_000_017), counts[0]);
        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(0L, 2L)]
    [InlineData(0L, 3L)]
    [InlineData(1L, 3L)]
    [InlineData(2L, 3L)]
    [InlineData(2L, 4L)]
    [InlineData(3L, 4L)]
    [InlineData(0L, 97L)]
    [InlineData(0L, 98L)]
    [InlineData(97L, 98L)]
    [InlineData(4L, 1_000L)]
    [InlineData(100_000L, 265_358L)]
    public void CountPrimes_EdgeRanges_MatchTrialDivision(long from, long to)
    {
        Assert.Equal(CountByTrialDivision(from, to), PrimeSieve.CountPrimes(from, to));
    }

    [Fact]
    public void CountPrimes_RandomRanges_MatchTrialDivision()
    {
        var random = new Random(20240607);
        for (var i = 0; i < 200; i++)
        {
            var from = random.NextInt64(0, 3_000_000);
            var to = from + random.NextInt64(1, 70_000);

            Assert.Equal(CountByTrialDivision(from, to), PrimeSieve.CountPrimes(from, to));
        }
    }

    [Fact]
    public void Run_ManySmallChunks_MatchesTrialDivision()
    {
        var options = new InProcessRunOptions { Threads = 2, Chunks = 997, ShuffleSeed = 3 };

        var count = Summary(Run(_kind, Params(("from", 0L), ("to", 20_000L)), options)).GetProperty("count").GetInt64();

        Assert.Equal(CountByTrialDivision(0, 20_000), count);
    }

    [Fact]
    public void CountPrimes_HighRange_MatchesTrialDivision()
    {
        const long from = 1_000_000_000_000L;

        Assert.Equal(CountByTrialDivision(from, from + 2_000), PrimeSieve.CountPrimes(from, from + 2_000));
    }

    [Fact]
    public void Plan_NegativeFrom_ThrowsNamingFrom()
    {
        var ex = Rejects(_kind, Params(("from", -1L), ("to", 10L)));

        Assert.Equal("from", ex.Field);
    }

    [Theory]
    [InlineData(10L, 5L)]
    [InlineData(10L, 10L)]
    public void Plan_ToNotAboveFrom_ThrowsNamingTo(long from, long to)
    {
        var ex = Rejects(_kind, Params(("from", from), ("to", to)));

        Assert.Equal("to", ex.Field);
        Assert.Contains("greater than 'from'", ex.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ToBeyondLimit_ThrowsNamingTo()
    {
        Assert.Equal("to", Rejects(_kind, Params(("from", 0L), ("to", PrimesKind.MaxTo + 1))).Field);
    }

    [Fact]
    public void Plan_MissingTo_ThrowsNamingTo()
    {
        Assert.Equal("to", Rejects(_kind, Params(("from", 0L))).Field);
    }

    private static long CountByTrialDivision(long from, long to)
    {
        long count = 0;
        for (var n = from; n < to; n++)
        {
            if (IsPrime(n))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsPrime(long n)
    {
        if (n < 2)
        {
            return false;
        }

        for (long d = 2; d * d <= n; d++)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}
