using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Primes;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class BuiltInCatalogTests
{
    [Fact]
    public void FromAssemblies_BuiltIn_FindsAllSevenKinds()
    {
        var catalog = JobKindCatalog.FromAssemblies([typeof(PrimesKind).Assembly]);

        Assert.Equal(
            ["mandelbrot", "noop", "pi", "primes", "sha256", "sleep", "wordcount"],
            catalog.All.Select(k => k.Name));
    }
}
