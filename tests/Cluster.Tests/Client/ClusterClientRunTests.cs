using System.Text;
using Cluster.Client;
using Cluster.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cluster.Tests.Client;

/// <summary><see cref="ClusterClient.RunAsync"/>: submit, follow and fetch in one call, against a fake coordinator.</summary>
public sealed class ClusterClientRunTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Uri Address = new("http://127.0.0.1:1");
    private static readonly byte[] ResultBytes = Encoding.UTF8.GetBytes("{\"count\":25}");

    [Fact]
    public async Task RunAsync_JobSucceeds_ReturnsSummaryAndDataAndReportsProgress()
    {
        var coordinator = new FakeCoordinator(JobState.Succeeded);
        using var client = coordinator.Client();
        var states = new List<JobState>();

        var result = await client.RunAsync(JobSpecs.Create("primes", [new("to", 100L)]), progress: new Recorder(j => states.Add(j.State))).WaitAsync(Bound);

        Assert.Equal("{\"count\":25}", result.SummaryJson);
        Assert.Equal(ResultBytes, result.Data.ToArray());
        Assert.Equal("application/json", result.ContentType);
        Assert.Equal(100L, coordinator.Submitted!.Parameters["to"].IntValue);
        Assert.Equal([JobState.Pending, JobState.Running, JobState.Succeeded], states);
    }

    [Fact]
    public async Task RunAsync_JobFails_ThrowsJobFailedExceptionWithReason()
    {
        var coordinator = new FakeCoordinator(JobState.Failed);
        using var client = coordinator.Client();

        var error = await Assert.ThrowsAsync<JobFailedException>(() => client.RunAsync(new JobSpec { Kind = "primes" }).WaitAsync(Bound));

        Assert.Equal("Job j1 failed: chunk 3 threw.", error.Message);
        Assert.Equal(JobState.Failed, error.Job.State);
        Assert.Equal(0, coordinator.Invoker.CallsTo(FakeCallInvoker.JobService("GetJobResult")));
    }

    [Fact]
    public async Task RunAsync_CallerCancels_CancelsJobOnCoordinator()
    {
        var coordinator = new FakeCoordinator(JobState.Succeeded) { WatchHangs = true };
        using var client = coordinator.Client();
        using var cancel = new CancellationTokenSource();
        var run = client.RunAsync(new JobSpec { Kind = "primes" }, progress: new Recorder(j =>
        {
            if (j.State == JobState.Running)
            {
                cancel.Cancel();
            }
        }), cancellationToken: cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bound));

        Assert.Equal(1, coordinator.Invoker.CallsTo(FakeCallInvoker.JobService("CancelJob")));
    }

    [Fact]
    public async Task GetResultAsync_JobCancelled_ThrowsJobFailedException()
    {
        var coordinator = new FakeCoordinator(JobState.Cancelled);
        using var client = coordinator.Client();

        var error = await Assert.ThrowsAsync<JobFailedException>(() => client.GetResultAsync("j1").WaitAsync(Bound));

        Assert.StartsWith("Job j1 was cancelled", error.Message, StringComparison.Ordinal);
    }

    private sealed class Recorder(Action<JobInfo> record) : IProgress<JobInfo>
    {
        public void Report(JobInfo value) => record(value);
    }

    /// <summary>A coordinator that accepts one job and lets it end in the given state.</summary>
    private sealed class FakeCoordinator
    {
        public FakeCoordinator(JobState end)
        {
            var final = Job(end);
            Invoker
                .OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(FakeCallInvoker.JobService("SubmitJob"), requests =>
                {
                    Submitted = requests[0].Spec;
                    return new SubmitJobResponse { Job = Job(JobState.Pending) };
                })
                .OnServerStreaming<WatchJobRequest, JobEvent>(FakeCallInvoker.JobService("WatchJob"), _ =>
                    WatchHangs ? new HangingReader(new JobEvent { Job = Job(JobState.Running) }) : new FakeReader<JobEvent>([new() { Job = Job(JobState.Running) }, new() { Job = final }], null))
                .OnUnary<GetJobRequest, JobInfo>(FakeCallInvoker.JobService("GetJob"), _ => final)
                .OnUnary<CancelJobRequest, JobInfo>(FakeCallInvoker.JobService("CancelJob"), _ => Job(JobState.Cancelled))
                .OnServerStreaming<GetJobResultRequest, JobResultChunk>(FakeCallInvoker.JobService("GetJobResult"), _ => new FakeReader<JobResultChunk>(
                    [new() { Offset = 0, Data = ByteString.CopyFrom(ResultBytes), TotalBytes = ResultBytes.Length, ContentType = "application/json" }], null));
        }

        public FakeCallInvoker Invoker { get; } = new();

        public JobSpec? Submitted { get; private set; }

        public bool WatchHangs { get; init; }

        public ClusterClient Client() => new(Invoker, Address);

        private static JobInfo Job(JobState state) => new()
        {
            JobId = "j1",
            State = state,
            Error = state == JobState.Failed ? "chunk 3 threw" : state == JobState.Cancelled ? "cancelled by a user request" : string.Empty,
            ResultJson = state == JobState.Succeeded ? "{\"count\":25}" : string.Empty,
            ResultBytes = state == JobState.Succeeded ? ResultBytes.Length : 0,
        };
    }

    /// <summary>Yields one event, then waits for the caller's cancellation as a watch of a long job does.</summary>
    private sealed class HangingReader(JobEvent first) : IAsyncStreamReader<JobEvent>
    {
        private bool _sent;

        public JobEvent Current => first;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!_sent)
            {
                _sent = true;
                return true;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return false;
        }
    }
}
