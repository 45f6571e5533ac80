using Cluster.Cli.Commands.Submit;

namespace Cluster.Tests.Cli.Submit;

public sealed class ArgsScanTests
{
    private static readonly IReadOnlySet<string> WithValues = new HashSet<string> { "--coordinator", "--chunks", "-o", "--jobs" };

    [Theory]
    [InlineData("submit primes --to 10", "primes")]
    [InlineData("submit --coordinator http://127.0.0.1:1 primes", "primes")]
    [InlineData("submit --json -o out.png mandelbrot", "mandelbrot")]
    [InlineData("submit -- weird", "weird")]
    [InlineData("submit --chunks 4", null)]
    [InlineData("jobs primes", null)]
    public void SubmitKind_Args_FindsKindAfterOptions(string line, string? expected) =>
        Assert.Equal(expected, ArgsScan.SubmitKind(line.Split(' '), WithValues));

    [Fact]
    public void JobAssemblies_BothSpellings_CollectsEveryPath() =>
        Assert.Equal(
            ["a.dll", "b.dll", "c.dll"],
            ArgsScan.JobAssemblies(["submit", "--jobs", "a.dll, b.dll", "x", "--jobs=c.dll"]));

    [Fact]
    public void JobAssemblies_AnotherVerb_NoneSoLocalChecksItsOwnPaths() =>
        Assert.Empty(ArgsScan.JobAssemblies(["local", "--jobs", "a.dll"]));
}
