using System.Net.Sockets;
using System.Security.Authentication;
using Cluster.Client;
using Cluster.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cluster.Tests.Client;

/// <summary>Transient failures are retried by the client's Polly pipeline, but only where sending again is safe.</summary>
public sealed class ClusterClientRetryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Uri Address = new("http://127.0.0.1:1");

    private static readonly ClusterClientOptions FastRetry = new()
    {
        CallRetryAttempts = 3,
        CallRetryDelay = TimeSpan.FromMilliseconds(1),
        CallRetryMaxDelay = TimeSpan.FromMilliseconds(2),
        WatchRetryAttempts = 3,
        WatchRetryDelay = TimeSpan.FromMilliseconds(1),
        WatchRetryMaxDelay = TimeSpan.FromMilliseconds(2),
    };

    [Fact]
    public async Task GetJobAsync_UnavailableTwiceThenAnswers_ReturnsAnswerOnThirdCall()
    {
        var failures = 2;
        var invoker = new FakeCallInvoker().OnUnary<GetJobRequest, JobInfo>(FakeCallInvoker.JobService("GetJob"), request =>
            failures-- > 0 ? throw Unavailable() : new JobInfo { JobId = request.JobId, State = JobState.Running });
        using var client = new ClusterClient(invoker, Address, FastRetry);

        var job = await client.GetJobAsync("j1").WaitAsync(Bound);

        Assert.Equal("j1", job.JobId);
        Assert.Equal(3, invoker.CallsTo(FakeCallInvoker.JobService("GetJob")));
    }

    [Fact]
    public async Task ListKindsAsync_StaysUnavailable_ThrowsAfterOnePlusRetryAttemptsCalls()
    {
        var invoker = new FakeCallInvoker().OnUnary<ListKindsRequest, ListKindsResponse>(FakeCallInvoker.JobService("ListKinds"), _ => throw Unavailable());
        using var client = new ClusterClient(invoker, Address, FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.ListKindsAsync().WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(4, invoker.CallsTo(FakeCallInvoker.JobService("ListKinds")));
    }

    [Fact]
    public async Task CancelAsync_NotFound_NotRetried()
    {
        var invoker = new FakeCallInvoker().OnUnary<CancelJobRequest, JobInfo>(
            FakeCallInvoker.JobService("CancelJob"), _ => throw new RpcException(new Status(StatusCode.NotFound, "job_id: no job 'j1'")));
        using var client = new ClusterClient(invoker, Address, FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.CancelAsync("j1").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, invoker.CallsTo(FakeCallInvoker.JobService("CancelJob")));
    }

    [Fact]
    public async Task ListJobsAsync_RetriesOff_OneCall()
    {
        var invoker = new FakeCallInvoker().OnUnary<ListJobsRequest, ListJobsResponse>(FakeCallInvoker.JobService("ListJobs"), _ => throw Unavailable());
        using var client = new ClusterClient(invoker, Address, new ClusterClientOptions { CallRetryAttempts = 0 });

        await Assert.ThrowsAsync<ClusterException>(() => client.ListJobsAsync().WaitAsync(Bound));

        Assert.Equal(1, invoker.CallsTo(FakeCallInvoker.JobService("ListJobs")));
    }

    [Fact]
    public async Task ListWorkersAsync_UntrustedCertificate_NotRetried()
    {
        var cause = new HttpRequestException("The SSL connection could not be established, see inner exception.", new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: PartialChain"));
        var invoker = new FakeCallInvoker().OnUnary<ListWorkersRequest, ListWorkersResponse>(
            FakeCallInvoker.JobService("ListWorkers"), _ => throw new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause)));
        using var client = new ClusterClient(invoker, new Uri("https://127.0.0.1:1"), FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.ListWorkersAsync().WaitAsync(Bound));

        Assert.Contains("presented a TLS certificate this client does not trust", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, invoker.CallsTo(FakeCallInvoker.JobService("ListWorkers")));
    }

    [Fact]
    public async Task ListWorkersAsync_PlaintextAgainstTls_NotRetried()
    {
        var invoker = new FakeCallInvoker().OnUnary<ListWorkersRequest, ListWorkersResponse>(
            FakeCallInvoker.JobService("ListWorkers"), _ => throw new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", ClosedAtOnce())));
        using var client = new ClusterClient(invoker, Address, FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.ListWorkersAsync().WaitAsync(Bound));

        Assert.Contains("use an https:// address", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, invoker.CallsTo(FakeCallInvoker.JobService("ListWorkers")));
    }

    [Fact]
    public async Task FollowAsync_StreamClosedAtOnce_ReopenedAsByACoordinatorKilledMidStream()
    {
        // A coordinator killed mid-watch closes the connection as a TLS one does to plaintext: the watch tries again.
        var watches = new Queue<FakeReader<JobEvent>>(
        [
            new([Event(JobState.Running, 1)], new RpcException(new Status(StatusCode.Unavailable, "Error reading next message.", ClosedAtOnce()))),
            new([Event(JobState.Succeeded, 4)], null),
        ]);
        var invoker = new FakeCallInvoker().OnServerStreaming<WatchJobRequest, JobEvent>(FakeCallInvoker.JobService("WatchJob"), _ => watches.Dequeue());
        using var client = new ClusterClient(invoker, Address, FastRetry);

        var final = await client.WaitForCompletionAsync("j1").WaitAsync(Bound);

        Assert.Equal(JobState.Succeeded, final.State);
        Assert.Equal(2, invoker.CallsTo(FakeCallInvoker.JobService("WatchJob")));
    }

    [Fact]
    public async Task SubmitAsync_UnavailableAfterReachingCoordinator_NotSentAgain()
    {
        var invoker = new FakeCallInvoker().OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(
            FakeCallInvoker.JobService("SubmitJob"), _ => throw Unavailable());
        using var client = new ClusterClient(invoker, Address, FastRetry);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.SubmitAsync(new JobSpec { Kind = "pi" }).WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, invoker.CallsTo(FakeCallInvoker.JobService("SubmitJob")));
    }

    [Fact]
    public async Task SubmitAsync_ConnectionRefusedThenAccepted_SentAgainWithWholeInput()
    {
        var refusals = 1;
        var received = new List<byte[]>();
        var invoker = new FakeCallInvoker().OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(FakeCallInvoker.JobService("SubmitJob"), requests =>
        {
            if (refusals-- > 0)
            {
                throw Unavailable(new HttpRequestException("Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused)));
            }

            received.Add([.. requests.Skip(1).SelectMany(r => r.Input.ToByteArray())]);
            return new SubmitJobResponse { Job = new JobInfo { JobId = "j1", State = JobState.Pending } };
        });
        using var client = new ClusterClient(invoker, Address, FastRetry);
        var input = new byte[3 * ClusterClient.InputPieceBytes / 2];
        Random.Shared.NextBytes(input);
        using var stream = new MemoryStream(input);

        var job = await client.SubmitAsync(new JobSpec { Kind = "wordcount" }, stream).WaitAsync(Bound);

        Assert.Equal("j1", job.JobId);
        Assert.Equal(2, invoker.CallsTo(FakeCallInvoker.JobService("SubmitJob")));
        Assert.Equal(input, Assert.Single(received));
    }

    [Fact]
    public async Task DownloadResultAsync_BreaksMidStream_RestartsFromTheBeginning()
    {
        var data = ByteString.CopyFrom(Enumerable.Range(0, 10).Select(i => (byte)i).ToArray());
        var attempts = 0;
        var invoker = new FakeCallInvoker().OnServerStreaming<GetJobResultRequest, JobResultChunk>(FakeCallInvoker.JobService("GetJobResult"), _ =>
        {
            var pieces = new[] { Piece(data, 0, 4), Piece(data, 4, 6) };
            return ++attempts == 1 ? new FakeReader<JobResultChunk>(pieces[..1], Unavailable()) : new FakeReader<JobResultChunk>(pieces, null);
        });
        using var client = new ClusterClient(invoker, Address, FastRetry);
        using var destination = new MemoryStream();

        var download = await client.DownloadResultAsync("j1", destination).WaitAsync(Bound);

        Assert.Equal(2, attempts);
        Assert.Equal(10, download.Bytes);
        Assert.Equal(data.ToByteArray(), destination.ToArray());
    }

    [Fact]
    public async Task FollowAsync_WatchBreaks_ReopensAndEndsAtFinalState()
    {
        var watches = new Queue<FakeReader<JobEvent>>(
        [
            new([Event(JobState.Running, 1)], Unavailable()),
            new([Event(JobState.Running, 3), Event(JobState.Succeeded, 4), Event(JobState.Succeeded, 4)], null),
        ]);
        var invoker = new FakeCallInvoker().OnServerStreaming<WatchJobRequest, JobEvent>(FakeCallInvoker.JobService("WatchJob"), _ => watches.Dequeue());
        using var client = new ClusterClient(invoker, Address, FastRetry);

        using var bound = new CancellationTokenSource(Bound);
        var seen = new List<long>();
        await foreach (var snapshot in client.FollowAsync("j1").WithCancellation(bound.Token))
        {
            seen.Add(snapshot.ChunksDone);
        }

        Assert.Equal([1L, 3L, 4L], seen);
        Assert.Equal(2, invoker.CallsTo(FakeCallInvoker.JobService("WatchJob")));
    }

    private static HttpRequestException ClosedAtOnce() =>
        new("An error occurred while sending the request.", new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

    internal static RpcException Unavailable(Exception? cause = null) => new(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause));

    internal static JobEvent Event(JobState state, long done) =>
        new() { Job = new JobInfo { JobId = "j1", State = state, ChunksDone = done, ChunksTotal = 4 } };

    private static JobResultChunk Piece(ByteString data, int offset, int length) =>
        new() { Offset = offset, Data = ByteString.CopyFrom(data.Span.Slice(offset, length)), TotalBytes = data.Length, ContentType = "application/octet-stream" };
}

/// <summary>A server stream that yields its messages, then ends or fails with <paramref name="failure"/>.</summary>
internal sealed class FakeReader<T>(IReadOnlyList<T> messages, RpcException? failure) : IAsyncStreamReader<T>
{
    private int _next = -1;

    public T Current => messages[_next];

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        _next++;
        if (_next < messages.Count)
        {
            return Task.FromResult(true);
        }

        return failure is null ? Task.FromResult(false) : Task.FromException<bool>(failure);
    }
}
