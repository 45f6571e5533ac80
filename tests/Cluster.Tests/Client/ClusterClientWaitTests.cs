using Cluster.Client;
using Cluster.Contracts.V1;
using Grpc.Core;

namespace Cluster.Tests.Client;

public sealed class ClusterClientWaitTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly ClusterClientOptions FastRetry = new()
    {
        WatchRetryAttempts = 2,
        WatchRetryDelay = TimeSpan.FromMilliseconds(1),
        WatchRetryMaxDelay = TimeSpan.FromMilliseconds(2),
    };

    [Fact]
    public async Task WaitForCompletionAsync_WatchBreaksUnavailable_ReWatchesUntilFinal()
    {
        var service = new FakeJobService();
        service.Watches.Enqueue(() => new FakeStream([Event(JobState.Running, 1)], new RpcException(new Status(StatusCode.Unavailable, "gone"))));
        service.Watches.Enqueue(() => new FakeStream([Event(JobState.Running, 2), Event(JobState.Succeeded, 4)], null));
        using var client = service.Client(FastRetry);
        var seen = new List<long>();

        var final = await client.WaitForCompletionAsync("job", new Recorder(j => seen.Add(j.ChunksDone))).WaitAsync(Bound);

        Assert.Equal(JobState.Succeeded, final.State);
        Assert.Equal([1L, 2L, 4L], seen);
        Assert.Equal(2, service.WatchCalls);
    }

    [Fact]
    public async Task WaitForCompletionAsync_StaysUnavailable_ThrowsAfterBoundedRetries()
    {
        var service = new FakeJobService();
        for (var i = 0; i < 5; i++)
        {
            service.Watches.Enqueue(() => new FakeStream([], new RpcException(new Status(StatusCode.Unavailable, "refused"))));
        }

        using var client = service.Client(FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.WaitForCompletionAsync("job").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("Cannot reach the coordinator at http://127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, service.WatchCalls);
    }

    [Fact]
    public async Task WaitForCompletionAsync_NotFound_NotRetried()
    {
        var service = new FakeJobService();
        service.Watches.Enqueue(() => new FakeStream([], new RpcException(new Status(StatusCode.NotFound, "No job 'job'."))));
        using var client = service.Client(FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.WaitForCompletionAsync("job").WaitAsync(Bound));

        Assert.Equal("No job 'job'.", error.Message);
        Assert.Equal(1, service.WatchCalls);
    }

    [Fact]
    public async Task WaitForCompletionAsync_StreamEndsEarly_AsksForSnapshot()
    {
        var service = new FakeJobService { Snapshot = Event(JobState.Failed, 3).Job };
        service.Watches.Enqueue(() => new FakeStream([Event(JobState.Running, 3)], null));
        using var client = service.Client(FastRetry);

        var final = await client.WaitForCompletionAsync("job").WaitAsync(Bound);

        Assert.Equal(JobState.Failed, final.State);
        Assert.Equal(1, service.WatchCalls);
    }

    private static JobEvent Event(JobState state, long done) =>
        new() { Job = new JobInfo { JobId = "job", State = state, ChunksDone = done, ChunksTotal = 4 } };

    private sealed class Recorder(Action<JobInfo> record) : IProgress<JobInfo>
    {
        public void Report(JobInfo value) => record(value);
    }

    /// <summary>Watches answered from a queue of streams, and a snapshot for GetJob, behind a <see cref="FakeCallInvoker"/>.</summary>
    private sealed class FakeJobService
    {
        private readonly FakeCallInvoker _invoker = new();

        public FakeJobService()
        {
            _invoker
                .OnServerStreaming<WatchJobRequest, JobEvent>(FakeCallInvoker.JobService("WatchJob"), _ => Watches.Dequeue()())
                .OnUnary<GetJobRequest, JobInfo>(FakeCallInvoker.JobService("GetJob"), _ => Snapshot ?? throw new InvalidOperationException("No snapshot set."));
        }

        public Queue<Func<FakeStream>> Watches { get; } = new();

        public int WatchCalls => _invoker.CallsTo(FakeCallInvoker.JobService("WatchJob"));

        public JobInfo? Snapshot { get; init; }

        public ClusterClient Client(ClusterClientOptions options) => new(_invoker, new Uri("http://127.0.0.1:1"), options);
    }

    /// <summary>Yields the events, then ends or fails with <paramref name="failure"/>.</summary>
    private sealed class FakeStream(IReadOnlyList<JobEvent> events, RpcException? failure) : IAsyncStreamReader<JobEvent>
    {
        private int _next = -1;

        public JobEvent Current => events[_next];

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            _next++;
            if (_next < events.Count)
            {
                return Task.FromResult(true);
            }

            return failure is null ? Task.FromResult(false) : Task.FromException<bool>(failure);
        }
    }
}
