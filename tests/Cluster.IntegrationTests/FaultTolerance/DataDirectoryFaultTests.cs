using System.IO.Pipelines;
using System.Security.Cryptography;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Grpc.Core;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>Faults of the coordinator's data directory itself: a full disk while it runs and while clients upload; a truncated copy.</summary>
[Collection(ProcessCollection.Name)]
public sealed class DataDirectoryFaultTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cluster-disk-test-" + Guid.NewGuid().ToString("N"));

    private string Mount => Path.Combine(_root, "small");

    private string DataDir => Path.Combine(Mount, "data");

    [TmpfsFact]
    public async Task DiskFull_WhileRunning_JobsFailWithSentenceCoordinatorServesAndRecoversWhenSpaceReturns()
    {
        TmpfsFactAttribute.Mount(Mount, 8);
        try
        {
            await using var cluster = await TestCluster.StartAsync(output, workers: 1, threads: 2, coordinatorArgs: ["--data-dir", DataDir]);
            var before = await cluster.RunAsync(Chaos(chunks: 20, ms: 0));
            Assert.Equal(JobState.Succeeded, before.State);

            var filler = Path.Combine(Mount, "filler");
            var filled = Fill(filler);
            var failed = await cluster.RunAsync(Chaos(chunks: 20_000, ms: 0));

            Assert.Equal(JobState.Failed, failed.State);
            Assert.Contains(DataDir, failed.Error, StringComparison.Ordinal);
            Assert.Contains("free space", failed.Error, StringComparison.Ordinal);
            Assert.False(cluster.Coordinator.HasExited, "the coordinator keeps running on a full disk");
            var listed = await cluster.Client.ListJobsAsync().WaitAsync(Deadline);
            Assert.Contains(listed, j => j.JobId == before.JobId && j.State == JobState.Succeeded);

            File.Delete(filler);
            var after = await cluster.RunAsync(Chaos(chunks: 2_000, ms: 0));
            Assert.Equal(JobState.Succeeded, after.State);
            Assert.Equal(ChaosKind.ExpectedSum(2_000), Json(after).GetProperty("sum").GetInt64());

            // The journal written around the full disk opens again, and holds the jobs as they ended.
            await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
            var restored = await cluster.Client.GetJobAsync(after.JobId).WaitAsync(Deadline);
            Assert.Equal(JobState.Succeeded, restored.State);
            Assert.Equal(after.ResultJson, restored.ResultJson);
            output.WriteLine($"figure disk-full: {filled / 1024} KiB filler filled the 8 MiB tmpfs; the job then failed with: {failed.Error}");
        }
        finally
        {
            TmpfsFactAttribute.Unmount(Mount);
        }
    }

    [TmpfsFact]
    public async Task DiskFull_Uploads_ResourceExhaustedNamingTheFolderNothingKeptAndTheSameUploadsWorkOnceSpaceReturns()
    {
        const int Block = 1 << 20;
        TmpfsFactAttribute.Mount(Mount, 8);
        try
        {
            var inputs = Path.Combine(DataDir, "inputs");
            var bundles = Path.Combine(DataDir, "bundles");

            // The bundle folder named, since the test cluster otherwise keeps bundles in a temporary folder of its own.
            await using var cluster = await TestCluster.StartAsync(output, workers: 1, threads: 2, coordinatorArgs: ["--data-dir", DataDir, $"--Coordinator:BundleDirectory={bundles}"]);
            var data = RandomNumberGenerator.GetBytes((2 * Block) + 5);
            var spec = Spec("sha256", ("block-size", (long)Block));
            var filler = Path.Combine(Mount, "filler");
            var filled = Fill(filler);

            // Length unknown (a pipe): refused while it is spooled, before any job exists.
            var piped = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.Client.SubmitAsync(spec.Clone(), await ForwardOnlyAsync(data)).WaitAsync(Deadline));
            Assert.Equal(StatusCode.ResourceExhausted, piped.StatusCode);
            Assert.StartsWith($"input: the coordinator could not store the upload in {inputs}: its disk is full (", piped.Message, StringComparison.Ordinal);
            Assert.EndsWith("); free space there, then submit the job again.", piped.Message, StringComparison.Ordinal);
            Assert.Empty(await cluster.Client.ListJobsAsync().WaitAsync(Deadline));

            // Length declared (a file): a job from its first byte, so it fails, saying to free space. Whichever meets the
            // full disk first, the spool's write or the journal's commit of the new job, says so.
            try
            {
                await cluster.Client.SubmitAsync(spec.Clone(), new MemoryStream(data)).WaitAsync(Deadline);
            }
            catch (ClusterException e)
            {
                Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
                Assert.Contains("free space there", e.Message, StringComparison.Ordinal);
            }

            var declared = (await cluster.Client.ListJobsAsync().WaitAsync(Deadline)).Single();
            declared = await cluster.Client.WaitForCompletionAsync(declared.JobId).WaitAsync(Deadline);
            Assert.Equal(JobState.Failed, declared.State);
            Assert.Contains(DataDir, declared.Error, StringComparison.Ordinal);
            Assert.Contains("free space there", declared.Error, StringComparison.Ordinal);

            var bundle = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1")).WaitAsync(Deadline));
            Assert.Equal(StatusCode.ResourceExhausted, bundle.StatusCode);
            Assert.StartsWith($"data: the coordinator could not store the bundle in {bundles}: its disk is full (", bundle.Message, StringComparison.Ordinal);
            Assert.EndsWith("); free space there, then upload it again.", bundle.Message, StringComparison.Ordinal);

            // Nothing of the refused uploads is kept, and the coordinator serves on.
            Assert.False(cluster.Coordinator.HasExited, "the coordinator keeps running on a full disk");
            Assert.Empty(Directory.EnumerateFiles(inputs, "*.input")); // (the folder also holds the local-read probe)
            Assert.Empty(Directory.EnumerateFiles(bundles));

            File.Delete(filler);
            var hashed = Json(await cluster.RunAsync(spec.Clone(), await ForwardOnlyAsync(data)));
            var blocks = hashed.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
            Assert.Equal(
                Enumerable.Range(0, 3).Select(i => Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i * Block, Math.Min(Block, data.Length - (i * Block)))))),
                blocks);
            var uploaded = await cluster.Client.UploadBundleAsync(Executables.TestBundle("Sum.V1")).WaitAsync(Deadline);
            Assert.Equal(uploaded.Size, uploaded.SentBytes);
            Assert.Single(Directory.EnumerateFiles(bundles));
            output.WriteLine($"figure disk-full-upload: {filled / 1024} KiB filler; a piped upload was told: {piped.Message}");
            output.WriteLine($"figure disk-full-upload: the job of a declared-length upload failed with: {declared.Error}");
        }
        finally
        {
            TmpfsFactAttribute.Unmount(Mount);
        }
    }

    [Fact]
    public async Task TruncatedCopy_StartedOnIt_ResumesWithExactResultOrStopsWithOneSentence()
    {
        const int Chunks = 200;
        var dataDir = Path.Combine(_root, "data");
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2, coordinatorArgs: ["--data-dir", dataDir]);
        var finished = await cluster.RunAsync(Chaos(chunks: 30, ms: 0));
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: Chunks, ms: 20));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= Chunks / 2, Deadline, "half of the job");

        // A copy of the live directory, its database cut in the middle of a page, put in place of the original.
        var copy = Path.Combine(_root, "copy");
        CopyDirectory(dataDir, copy);
        var db = Path.Combine(copy, "journal.db");
        var pages = new FileInfo(db).Length / 4096;
        using (var cut = new FileStream(db, FileMode.Open, FileAccess.Write))
        {
            cut.SetLength(((pages / 2) * 4096) + 1000);
        }

        cluster.Coordinator.Kill();
        await cluster.Coordinator.WaitForExitAsync().WaitAsync(Deadline);
        Directory.Delete(dataDir, recursive: true);
        Directory.Move(copy, dataDir);

        try
        {
            await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        }
        catch (Cluster.Client.Local.LocalClusterException)
        {
            var said = string.Join('\n', cluster.Coordinator.Output);
            Assert.Equal(1, cluster.Coordinator.ExitCode);
            Assert.Contains($"The journal {Path.Combine(dataDir, "journal.db")} is damaged (", said, StringComparison.Ordinal);
            Assert.Contains("move its data directory aside (or restore a copy) and start again", said, StringComparison.Ordinal);
            output.WriteLine($"figure truncated-copy: the coordinator stopped with: {cluster.Coordinator.Output.Last(l => l.Contains("damaged", StringComparison.Ordinal))}");
            return;
        }

        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), Json(done).GetProperty("sum").GetInt64());
        var before = await cluster.Client.GetJobAsync(finished.JobId).WaitAsync(Deadline);
        Assert.Equal(finished.ResultJson, before.ResultJson);
        output.WriteLine("figure truncated-copy: the coordinator recovered the truncated copy; the running job ended exact");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    /// <summary><paramref name="data"/> as a stream that cannot seek, as a pipe is: the client does not know its length.</summary>
    private static async Task<Stream> ForwardOnlyAsync(byte[] data)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(data);
        await pipe.Writer.CompleteAsync();
        return pipe.Reader.AsStream();
    }

    /// <summary>Writes <paramref name="path"/> until the file system has no space left; returns the bytes written.</summary>
    private static long Fill(string path)
    {
        var block = new byte[64 << 10];
        long written = 0;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        while (true)
        {
            try
            {
                file.Write(block);
                written += block.Length;
            }
            catch (IOException) when (block.Length > 1)
            {
                block = new byte[block.Length / 2];
            }
            catch (IOException)
            {
                return written;
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
