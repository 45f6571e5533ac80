using System.Text.Json;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.Bundles.BundleFixtures;

namespace Cluster.IntegrationTests.Bundles;

/// <summary>Jobs from bundles the cluster has never seen, shipped by the client, on a real coordinator and real workers.</summary>
[Collection(ProcessCollection.Name)]
public sealed class BundleTests(ITestOutputHelper output) : IDisposable
{
    private readonly BundleFixtures _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task BundleJob_OnTwoWorkers_RightSumSecondUploadSendsNothingAndBundleUnloadedAfter()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: [_files.CoordinatorArg], workerEnvironment: _files.WorkerEnvironment("a"));
        const long n = 2_000_000;

        var first = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1"));
        var job = await cluster.RunAsync(Spec("bundle-sum", first.BundleId, 16, ("n", n), ("chunk-ms", 50L)));
        var second = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1"));

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(n * (n - 1) / 2, Json(job).GetProperty("sum").GetInt64());
        Assert.Equal(1, Json(job).GetProperty("version").GetInt32());
        Assert.All(await cluster.Client.ListWorkersAsync(), w => Assert.True(w.Completed > 0, $"worker {w.WorkerId} took no chunk"));
        Assert.Equal(first.Size, first.SentBytes);
        Assert.Equal((second.BundleId, 0L), (first.BundleId, second.SentBytes));
        var held = Assert.Single(await cluster.Client.ListBundlesAsync());
        Assert.Equal((first.BundleId, first.Size, first.Size, 1, 1L), (held.BundleId, held.Size, held.ReceivedBytes, held.Uploads, held.Jobs));

        // The job's end released the coordinator's only use of the bundle: its load context was unloaded, and the
        // coordinator's weak reference to it shows the runtime freed it.
        Assert.False(held.Loaded);
        await TestCluster.PollAsync(
            () => Task.FromResult(cluster.Coordinator.Output.Any(line => line.Contains($"Bundle {first.BundleId} unloaded: no job uses it, its load context was freed", StringComparison.Ordinal))),
            logged => logged,
            TimeSpan.FromSeconds(30),
            "the coordinator to log that the bundle's load context was freed");
        Assert.Equal(0, Assert.Single(await cluster.Client.ListBundlesAsync()).ContextsAliveAfterUnload);
        foreach (var worker in cluster.Cluster.Workers)
        {
            await TestCluster.PollAsync(
                () => Task.FromResult(worker.Output.Any(line => line.Contains($"Bundle {first.BundleId} unloaded: no job uses it, its load context was freed", StringComparison.Ordinal))),
                logged => logged,
                TimeSpan.FromSeconds(30),
                $"worker pid {worker.Pid} to log that the bundle's load context was freed");
        }
    }

    [Fact]
    public async Task TwoVersionsOfOneKind_InConcurrentJobs_EachGivesItsOwnAnswer()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2, coordinatorArgs: [_files.CoordinatorArg], workerEnvironment: _files.WorkerEnvironment("a"));
        const long n = 100_000;
        var v1 = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1"));
        var v2 = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V2"));

        var one = await cluster.Client.SubmitAsync(Spec("bundle-sum", v1.BundleId, 20, ("n", n), ("chunk-ms", 100L), ("tag", "one")));
        var two = await cluster.Client.SubmitAsync(Spec("bundle-sum", v2.BundleId, 20, ("n", n), ("chunk-ms", 100L), ("tag", "two")));
        var doneOne = await cluster.Client.WaitForCompletionAsync(one.JobId).WaitAsync(TestCluster.JobTimeout);
        var doneTwo = await cluster.Client.WaitForCompletionAsync(two.JobId).WaitAsync(TestCluster.JobTimeout);

        Assert.NotEqual(v1.BundleId, v2.BundleId);
        Assert.Equal($"{{\"sum\":{n * (n - 1) / 2},\"version\":1,\"first_tag\":\"one\"}}", doneOne.ResultJson);
        Assert.Equal($"{{\"sum\":{SumOfSquares(n)},\"version\":2,\"first_tag\":\"two\"}}", doneTwo.ResultJson);
        Assert.True(doneTwo.StartedUnixMs < doneOne.FinishedUnixMs && doneOne.StartedUnixMs < doneTwo.FinishedUnixMs, "the two jobs did not run at the same time");
    }

    [Fact]
    public async Task BundleWithItsOwnNuGetDependency_CoordinatorAndWorkersUseTheBundlesVersion()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: [_files.CoordinatorArg], workerEnvironment: _files.WorkerEnvironment("a"));
        var bundle = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Protobuf"));

        var job = await cluster.RunAsync(Spec("bundle-protobuf", bundle.BundleId, 8, ("chunks", 8L)));

        // The coordinator and workers run on Google.Protobuf 3.36 (Directory.Packages.props); the bundle ships 3.25.1.
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal("{\"coordinator\":\"3.25.1.0\",\"workers\":[\"3.25.1.0\"]}", job.ResultJson);
    }

    [Fact]
    public async Task BrokenBundles_RefusedBeforeAnyChunkWithTheirReason_AndAChunkThatThrowsFollowsThePoisonRules()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: [_files.CoordinatorArg], workerEnvironment: _files.WorkerEnvironment("a"));
        System.IO.File.WriteAllText(_files.File("Notes.dll"), "these are notes, not code");
        WriteFutureAssembly(_files.File("Future.dll"));
        var sum = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1"));

        await Refused(cluster, await Upload(cluster, _files.File("Notes.dll")), "x", StatusCode.InvalidArgument, "'Notes.dll' is not a .NET assembly");
        await Refused(cluster, await Upload(cluster, _files.File("Future.dll")), "x", StatusCode.InvalidArgument, "'Future.dll' was built for .NET 99.0, newer than the .NET 10.0 this cluster runs");
        await Refused(cluster, await Upload(cluster, Path.Combine(Executables.TestBundle("Faulty.Missing"), "Cluster.TestBundles.Faulty.Missing.dll")), "bundle-needs-helper", StatusCode.InvalidArgument, "needs 'Cluster.TestBundles.Faulty.Helper, Version=1.0.0.0");
        await Refused(cluster, await Upload(cluster, Executables.TestBundle("Faulty.Duplicate")), "bundle-twin", StatusCode.InvalidArgument, "has two kinds named 'bundle-twin'");
        await Refused(cluster, await Upload(cluster, Executables.TestBundle("Faulty.Constructor")), "bundle-throwing", StatusCode.InvalidArgument, "constructing kind Cluster.TestBundles.ThrowingKind threw System.InvalidOperationException: the constructor refuses");
        await Refused(cluster, sum.BundleId, "nope", StatusCode.InvalidArgument, "kind 'nope' is not a kind of bundle");
        await Refused(cluster, sum.BundleId, "bundle-plan-throws", StatusCode.InvalidArgument, "kind 'bundle-plan-throws' threw while validating and planning the job: System.InvalidOperationException: the plan refuses to be made");
        await Refused(cluster, new string('0', 64), "bundle-sum", StatusCode.FailedPrecondition, "is not on this coordinator; upload it first");
        Assert.All(await cluster.Client.ListJobsAsync(), j => Assert.Equal(0, j.ChunksDone));

        var poisoned = await cluster.RunAsync(Spec("bundle-chunk-throws", sum.BundleId, 1));
        Assert.Equal(JobState.Failed, poisoned.State);
        Assert.Equal(3, poisoned.FailedAttempts);
        Assert.Contains("System.InvalidOperationException: the bundled chunk refuses to run", poisoned.Error, StringComparison.Ordinal);

        // The coordinator stayed up throughout, and runs the good bundle.
        Assert.Equal(JobState.Succeeded, (await cluster.RunAsync(Spec("bundle-sum", sum.BundleId, 4, ("n", 10L)))).State);
    }

    [Fact]
    public async Task WorkerStartedAfterTheUpload_FetchesTheBundleAndRunsTheJob()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 0, coordinatorArgs: [_files.CoordinatorArg]);
        var bundle = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V2"));
        var submitted = await cluster.Client.SubmitAsync(Spec("bundle-sum", bundle.BundleId, 6, ("n", 1000L)));

        var late = await cluster.Cluster.StartWorkerAsync(_files.WorkerEnvironment("late")).WaitAsync(TimeSpan.FromSeconds(60));
        var job = await cluster.Client.WaitForCompletionAsync(submitted.JobId).WaitAsync(TestCluster.JobTimeout);

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(SumOfSquares(1000), Json(job).GetProperty("sum").GetInt64());
        Assert.Equal(6, Assert.Single(await cluster.Client.ListWorkersAsync()).Completed);
        Assert.Equal(bundle.Size, new FileInfo(Path.Combine(_files.WorkerCache("late"), bundle.BundleId + ".bundle")).Length);
        Assert.Contains(late.Output, line => line.Contains($"Bundle {bundle.BundleId} fetched from the coordinator: {bundle.Size} bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllowListAndSizeLimit_RefuseOtherBundles_AndAWorkerTokenCannotUpload()
    {
        var v1 = Packed("Sum.V1");
        await using var cluster = await TestCluster.StartAsync(
            output,
            workers: 1,
            coordinatorArgs: [_files.CoordinatorArg, $"--Coordinator:AllowedBundles={v1.Id},{Packed("Protobuf").Id}", $"--Coordinator:MaxBundleBytes={v1.Size}"],
            workerEnvironment: _files.WorkerEnvironment("a"));

        var unlisted = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V2")));
        var tooLarge = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.UploadBundleAsync(Executables.TestBundle("Protobuf")));
        using var asWorker = cluster.Cluster.CreateClient(new ClusterClientOptions { Token = cluster.Cluster.WorkerToken });
        var workerUpload = await Assert.ThrowsAsync<ClusterException>(() => asWorker.UploadBundleAsync(Executables.TestBundle("Sum.V1")));
        var listed = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1"));

        Assert.Equal(StatusCode.PermissionDenied, unlisted.StatusCode);
        Assert.Contains("is not on this coordinator's allow-list (Coordinator:AllowedBundles)", unlisted.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);
        Assert.Contains("(Coordinator:MaxBundleBytes)", tooLarge.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, workerUpload.StatusCode);
        Assert.Equal(v1.Id, listed.BundleId);
        Assert.Equal(JobState.Succeeded, (await cluster.RunAsync(Spec("bundle-sum", listed.BundleId, 2, ("n", 10L)))).State);
        Assert.Equal([v1.Id], (await cluster.Client.ListBundlesAsync()).Select(b => b.BundleId));
    }

    [Fact]
    public async Task ShippingOff_UploadAndBundleJobsRefused()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, coordinatorArgs: [_files.CoordinatorArg, "--Coordinator:AcceptBundles=false"]);

        var upload = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1")));
        var submit = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.SubmitAsync(Spec("bundle-sum", new string('a', 64), 1)));

        Assert.Equal(StatusCode.PermissionDenied, upload.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, submit.StatusCode);
        Assert.Contains("this coordinator does not run shipped code (Coordinator:AcceptBundles is false)", submit.Message, StringComparison.Ordinal);
    }

    /// <summary>The id and size the client will upload the project's bundle with, packed the client's way.</summary>
    private static (string Id, long Size) Packed(string project)
    {
        var bytes = Cluster.Client.Bundles.BundlePacker.Pack(Executables.TestBundle(project));
        return (Cluster.Client.Bundles.BundleIds.Of(bytes), bytes.Length);
    }

    private static async Task<string> Upload(TestCluster cluster, string path) => (await cluster.Client.UploadBundleAsync(path)).BundleId;

    private static async Task Refused(TestCluster cluster, string bundleId, string kind, StatusCode status, string reason)
    {
        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.SubmitAsync(Spec(kind, bundleId, 1)));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static long SumOfSquares(long n) => (n - 1) * n * ((2 * n) - 1) / 6;

    private static JsonElement Json(JobInfo job) => JsonDocument.Parse(job.ResultJson).RootElement;
}
