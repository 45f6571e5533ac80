using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;

namespace Cluster.IntegrationTests.Cli;

/// <summary>The real <c>cluster</c> command: embedded clusters, orphan-free teardown, and errors as sentences.</summary>
[Collection(ProcessCollection.Name)]
public sealed class CliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Submit_EmbeddedCluster_PrintsJsonResultAndLeavesNoProcessBehind()
    {
        using var cli = CliProcess.Start("submit", "primes", "--from", "0", "--to", "1000000", "--json", "--workers", "2");
        var children = new HashSet<int>();
        var exited = cli.WaitForExitAsync(Timeout);
        while (!exited.IsCompleted)
        {
            children.UnionWith(ProcessTable.ChildrenOf(cli.Pid));
            await Task.WhenAny(exited, Task.Delay(20));
        }

        Assert.Equal(0, await exited);
        var json = JsonDocument.Parse(cli.Stdout).RootElement;
        Assert.Equal("SUCCEEDED", json.GetProperty("state").GetString()!.ToUpperInvariant());
        Assert.Equal(78_498, json.GetProperty("result").GetProperty("count").GetInt64());
        Assert.True(children.Count >= 3, $"expected a coordinator and two workers, saw {children.Count} children");
        await ProcessTable.WaitUntilGoneAsync(children, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Local_KilledWithSigkill_ChildrenExitToo()
    {
        using var cli = CliProcess.Start("local", "--workers", "2", "--port", "0");
        var first = await cli.FirstStdoutLineAsync(Timeout);
        Assert.StartsWith(Announcements.Listening, first, StringComparison.Ordinal);
        var children = await TestCluster.PollAsync(
            () => Task.FromResult(ProcessTable.ChildrenOf(cli.Pid)), c => c.Count >= 3, Timeout, "the coordinator and two workers");

        Assert.True(Signals.Send(cli.Pid, Signals.SigKill));

        await ProcessTable.WaitUntilGoneAsync(children, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Submit_UnreachableCoordinator_OneSentenceAndExitCode3()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Timeout, "submit", "noop", "--chunks", "1", "--coordinator", "http://127.0.0.1:1");

        Assert.Equal(3, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Cannot reach the coordinator at http://127.0.0.1:1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_UnknownKind_UsageErrorWithoutStackTrace()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Timeout, "submit", "no-such-kind");

        Assert.Equal(2, code);
        Assert.Contains("no-such-kind", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_BadOptionValue_UsageErrorNamingOption()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Timeout, "submit", "primes", "--from", "abc", "--to", "10");

        Assert.Equal(2, code);
        Assert.Contains("--from", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
