using System.Runtime.CompilerServices;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Submission;
using Cluster.Jobs.BuiltIn.Sha256;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Journal;

/// <summary>A job accepted with its declared input length is journalled before its upload ends; a stop cuts the upload.</summary>
public sealed class ArrivingUploadRecoveryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

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
        Directory.CreateDirectory(copy.Path);
        foreach (var file in Directory.EnumerateFiles(dir.Path))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        var layout = new DataDirectory(copy.Path);
        await File.WriteAllBytesAsync(layout.InputFile(id), [1, 2, 3, 4]);
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
