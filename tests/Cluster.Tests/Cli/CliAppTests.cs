using Cluster.Cli;

namespace Cluster.Tests.Cli;

public sealed class CliAppTests
{
    [Theory]
    [InlineData("coordinator")]
    [InlineData("worker")]
    public void CreateRoot_ServerVerbFirst_RootHoldsThatVerbAlone(string verb)
    {
        var root = CliApp.CreateRoot(new TestConsole().Console, [verb, "--help"]);

        Assert.Equal(verb, Assert.Single(root.Subcommands).Name);
    }

    [Theory]
    [InlineData("submit", "noop")]
    [InlineData("local")]
    [InlineData("--help")]
    public void CreateRoot_OtherVerbs_EveryVerb(params string[] args)
    {
        var root = CliApp.CreateRoot(new TestConsole().Console, args);

        Assert.Equal(
            ["submit", "jobs", "status", "cancel", "stack", "result", "workers", "kinds", "local", "coordinator", "worker", "token"],
            root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public async Task RunAsync_ServerVerbWithBadOption_UsageErrorAsBefore()
    {
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["worker", "--threads", "many"], console.Console);

        Assert.Equal(2, code);
        Assert.Contains("--threads", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("cluster worker --help", console.Error.ToString(), StringComparison.Ordinal);
    }
}
