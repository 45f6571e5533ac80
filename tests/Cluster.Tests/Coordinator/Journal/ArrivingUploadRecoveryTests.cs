using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Submission;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.BuiltIn.WordCount;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Journal;

/// <summary>A job accepted with its declared input length is journalled before its upload ends; a stop cuts the upload.</summary>
public sealed class ArrivingUploadRecoveryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The data directory's journal copied, with <paramref name="input"/> as the job's spool (the original is locked).</summary>
    private static async Task CopyAsync(TempDataDir from, TempDataDir to, string jobId, byte[] input)
    {
        Directory.CreateDirectory(to.Path);
        foreach (var file in Directory.EnumerateFiles(from.Path))
        {
            File.Copy(file, Path.Combine(to.Path, Path.GetFileName(file)));
        }

        await File.WriteAllBytesAsync(new DataDirectory(to.Path).InputFile(jobId), input);
    }

    private static List<byte[]> Payloads(Job job) =>
        [.. Enumerable.Range(0, (int)job.ChunkCount).Select(i =>
        {
            var writer = new ArrayBufferWriter<byte>();
            job.Plan.WritePayload(i, writer);
            return writer.WrittenSpan.ToArray();
        })];

    [Fact]
    public async Task Recover_LineSplitJobPlannedWhileArriving_PlannedTheSameWayAgain()
    {
        // 40 bytes in 4 nominal chunks of 10: the long line covers all of chunk 1, which a scan of the whole input drops.
        var text = Encoding.ASCII.GetBytes("aaaaaaa\nbbbbbbbbbbbbbbbbbbbbbbb\ncccccc\nd");
        using var dir = new TempDataDir();
        var before = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path }, moreKinds: [new WordCountKind()]);
        var submission = new JobSubmission("wordcount", string.Empty, 4, 0, 0, new Dictionary<string, object?>(StringComparer.Ordinal)) { InputLength = text.Length };
        var job = await before.Submitter.SubmitAsync(submission, new[] { (ReadOnlyMemory<byte>)text }.ToAsyncEnumerable(), CancellationToken.None);
        var payloads = Payloads(job);
        await CloseAsync(before);

        // The first coordinator's spool stays open (and locked) in this process: the restart runs on a copy.
        using var copy = new TempDataDir();
        await CopyAsync(dir, copy, job.Id, text);
        var after = new CoordinatorTestHost(new CoordinatorOptions { DataDir = copy.Path }, moreKinds: [new WordCountKind()]);
        after.Recovery.Recover();

        Assert.True(after.Store.TryGet(job.Id, out var resumed));
        Assert.False(resumed.IsFinal, resumed.Error);
        Assert.Equal(4, resumed.ChunkCount);
        Assert.Equal(payloads, Payloads(resumed));
        await CloseAsync(after);
    }

    [Fact]
    public async Task Recover_UploadCutByTheStop_JobFailsWithTheResubmitSentence()
    {
        using var dir = new TempDataDir();
        using var copy = new TempDataDir();
        var before = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path }, moreKinds: [new Sha256Kind()]);
        var firstIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new CancellationTokenSource();

        async IAsyncEnumerable<ReadOnlyMemory<byte>> Upload([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new byte[] { 1, 2, 3, 4 };
            firstIn.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield return new byte[] { 5, 6, 7, 8, 9, 10 };
        }

        var submission = new JobSubmission("sha256", string.Empty, 0, 0, 0, new Dictionary<string, object?>(StringComparer.Ordinal) { ["block-size"] = 4L }) { InputLength = 10 };
        var submit = before.Submitter.SubmitAsync(submission, Upload(), client.Token);
        await firstIn.Task.WaitAsync(Bound);
        var id = before.Store.All.Single().Id;
        await CloseAsync(before);

        // The data directory as a crash leaves it: the journal, and the spool with the 4 bytes that had arrived.
        await CopyAsync(dir, copy, id, [1, 2, 3, 4]);
        var after = new CoordinatorTestHost(new CoordinatorOptions { DataDir = copy.Path }, moreKinds: [new Sha256Kind()]);
        after.Recovery.Recover();

        Assert.True(after.Store.TryGet(id, out var job));
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal("The coordinator restarted and could not resume the job (its upload was cut by the stop after 4 of its 10 bytes): resubmit it.", job.Error);
        client.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit.WaitAsync(Bound));
        await CloseAsync(after);
    }
}
