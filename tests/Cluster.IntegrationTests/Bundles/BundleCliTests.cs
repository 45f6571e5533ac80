using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Bundles;

/// <summary><c>cluster submit KIND --jobs FOLDER</c> ships the folder as a bundle, to a running coordinator and to the embedded cluster alike.</summary>
[Collection(ProcessCollection.Name)]
public sealed class BundleCliTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly BundleFixtures _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task SubmitJobsFolder_WithoutCoordinator_EmbeddedClusterRunsTheShippedBundle()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(Timeout, "submit", "bundle-sum", "--jobs", Executables.TestBundle("Sum.V2"), "--n", "1000", "--chunks", "4", "--workers", "2");
        output.WriteLine(stderr);

        Assert.Equal(0, code);
        // The embedded cluster is started without the folder: the kind reaches it only as a bundle. Its store
        // (Coordinator:BundleDirectory) outlives a run, so an earlier run may have uploaded this bundle already.
        Assert.Matches("Uploaded bundle [0-9a-f]{12} |Bundle [0-9a-f]{12} \\([0-9]+ bytes\\) is on the coordinator already; nothing sent", stderr);
        Assert.Equal(332_833_500, JsonDocument.Parse(stdout.Trim()).RootElement.GetProperty("sum").GetInt64());
    }

    [Fact]
    public async Task SubmitJobsFolder_ToARunningCoordinatorTwice_SecondSendsNothing()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: [_files.CoordinatorArg], workerEnvironment: _files.WorkerEnvironment("a"));
        var tokenFile = _files.File("client.token");
        await File.WriteAllTextAsync(tokenFile, cluster.Cluster.ClientToken);
        string[] args = ["submit", "bundle-sum", "--jobs", Executables.TestBundle("Sum.V1"), "--n", "1000", "--coordinator", cluster.Cluster.Address.ToString().TrimEnd('/'), "--token-file", tokenFile];

        var first = await CliProcess.RunAsync(Timeout, args);
        var second = await CliProcess.RunAsync(Timeout, args);
        output.WriteLine(first.Stderr + second.Stderr);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("Uploaded bundle ", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("is on the coordinator already; nothing sent.", second.Stderr, StringComparison.Ordinal);
        Assert.All([first.Stdout, second.Stdout], o => Assert.Equal(499_500, JsonDocument.Parse(o.Trim()).RootElement.GetProperty("sum").GetInt64()));
        var held = Assert.Single(await cluster.Client.ListBundlesAsync());
        Assert.Equal((1, held.Size, 2L), (held.Uploads, held.ReceivedBytes, held.Jobs));
    }

    [Fact]
    public async Task Local_JobsFolder_ShippedAsABundleThatOtherTerminalsListAndSubmitWithCoordinatorAlone()
    {
        var tokenFile = _files.File("local.token");
        using var local = CliProcess.Start("local", "--workers", "2", "--port", "0", "--jobs", Executables.TestBundle("Sum.V1"), "--token-out", tokenFile);
        try
        {
            var first = await local.FirstStdoutLineAsync(Timeout);
            Assert.StartsWith(Announcements.Listening, first, StringComparison.Ordinal);
            var address = first[Announcements.Listening.Length..];
            await TestCluster.PollAsync(() => Task.FromResult(File.Exists(tokenFile) && File.ReadAllText(tokenFile).EndsWith('\n')), written => written, Timeout, "cluster local to write its client token");

            var kinds = await CliProcess.RunAsync(Timeout, "kinds", "--json", "--coordinator", address, "--token-file", tokenFile);
            var submit = await CliProcess.RunAsync(Timeout, "submit", "bundle-sum", "--param", "n=1000", "--coordinator", address, "--token-file", tokenFile);
            output.WriteLine(local.Stderr + kinds.Stderr + submit.Stderr);

            // The children were started without --jobs: the kind reached them only as the bundle cluster local shipped.
            Assert.Equal((0, 0), (kinds.ExitCode, submit.ExitCode));
            var listed = JsonDocument.Parse(kinds.Stdout).RootElement.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "bundle-sum");
            var bundleId = listed.GetProperty("bundleId").GetString()!;
            Assert.Matches($"Shipped .*Sum.V1.* as bundle {bundleId[..12]} \\([0-9]+ bytes\\): bundle-chunk-throws, bundle-plan-throws, bundle-sum\\.", local.Stderr);
            Assert.Contains(listed.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "n" && p.GetProperty("type").GetString() == "int");
            var result = JsonDocument.Parse(submit.Stdout.Trim()).RootElement;
            Assert.Equal((499_500L, 1), (result.GetProperty("sum").GetInt64(), result.GetProperty("version").GetInt32()));
        }
        finally
        {
            // Stopped as a user would (Ctrl+C's signal); disposing kills what is left, whatever happened above.
            Signals.Send(local.Pid, Signals.SigTerm);
            await local.WaitForExitAsync(Timeout);
        }
    }
}
