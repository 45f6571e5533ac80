using System.Net.Sockets;
using System.Text;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.Security;

/// <summary>
/// Every malformed request we could think of, sent to a real coordinator while a job runs: each gets its status (or
/// its connection refused), the coordinator stays up, and the job still comes to the right answer. The cluster runs in
/// open loopback mode (no tokens): these raw requests test validation, not authentication, which AuthTests covers.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MalformedRequestTests(ITestOutputHelper output)
{
    private const long PrimesBelowOneBillion = 50_847_534;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly string Mib = new('x', 1 << 20);

    [Fact]
    public async Task JobService_MalformedRequests_StatusNamingFieldAndJobCompletes()
    {
        await using var cluster = await TestCluster.StartAsync(output, tokens: false, workers: 1, threads: 2);
        var running = await cluster.Client.SubmitAsync(WithChunks(Spec("primes", ("from", 0L), ("to", 1_000_000_000L)), 400));
        using var channel = Channel(cluster);
        var jobs = new JobService.JobServiceClient(channel);

        foreach (var id in new[] { string.Empty, "../x", "../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF", Mib })
        {
            await ExpectAsync(StatusCode.InvalidArgument, "job_id", () => jobs.GetJobAsync(new GetJobRequest { JobId = id }, Options()).ResponseAsync);
            await ExpectAsync(StatusCode.InvalidArgument, "job_id", () => jobs.CancelJobAsync(new CancelJobRequest { JobId = id }, Options()).ResponseAsync);
            await ExpectAsync(StatusCode.InvalidArgument, "job_id", () => Drain(jobs.WatchJob(new WatchJobRequest { JobId = id }, Options()).ResponseStream));
            await ExpectAsync(StatusCode.InvalidArgument, "job_id", () => Drain(jobs.GetJobResult(new GetJobResultRequest { JobId = id }, Options()).ResponseStream));
        }

        await ExpectAsync(StatusCode.NotFound, "job_id", () => jobs.GetJobAsync(new GetJobRequest { JobId = new string('0', 32) }, Options()).ResponseAsync);
        foreach (var limit in new[] { -1, int.MinValue, 10_001, int.MaxValue })
        {
            await ExpectAsync(StatusCode.InvalidArgument, "limit", () => jobs.ListJobsAsync(new ListJobsRequest { Limit = limit }, Options()).ResponseAsync);
        }

        await ExpectAsync(StatusCode.InvalidArgument, "spec", () => SubmitAsync(jobs));
        await ExpectAsync(StatusCode.InvalidArgument, "spec", () => SubmitAsync(jobs, new SubmitJobRequest { Input = ByteString.CopyFromUtf8("data") }));
        await ExpectAsync(StatusCode.InvalidArgument, "spec", () => SubmitAsync(jobs, new SubmitJobRequest { Spec = Spec("noop") }, new SubmitJobRequest { Spec = Spec("noop") }));
        await ExpectAsync(StatusCode.InvalidArgument, "spec", () => SubmitAsync(jobs, new SubmitJobRequest()));
        foreach (var (spec, field) in BadSpecs())
        {
            await ExpectAsync(StatusCode.InvalidArgument, field, () => SubmitAsync(jobs, new SubmitJobRequest { Spec = spec }));
        }

        // Invalid UTF-8 in a string field gets Unknown ("Exception was thrown by handler."), not InvalidArgument, and
        // cannot be mapped without replacing Grpc.AspNetCore's method binding: it reads and parses a unary or
        // server-streaming request (PipeExtensions.ReadSingleMessageAsync, called by UnaryServerCallHandler) before any
        // interceptor or service code runs, with the generated code's static marshaller; Google.Protobuf throws
        // InvalidProtocolBufferException, and HttpContextServerCallContext.ProcessHandlerError turns any exception that
        // is not an RpcException into Unknown. Pinned here so that a change is noticed; the call does nothing and the
        // coordinator carries on.
        var invalidUtf8 = await Assert.ThrowsAsync<RpcException>(() => RawUnaryAsync(channel, "cluster.v1.JobService", "GetJob", [0x0A, 0x02, 0xC3, 0x28]));
        output.WriteLine($"invalid UTF-8: {invalidUtf8.StatusCode}: {invalidUtf8.Status.Detail}");
        Assert.Equal(StatusCode.Unknown, invalidUtf8.StatusCode);

        // A message above Coordinator:MaxMessageBytes (64 MiB).
        var huge = new SubmitJobRequest { Input = ByteString.CopyFrom(new byte[(64 << 20) + 1]) };
        await ExpectAsync(StatusCode.ResourceExhausted, string.Empty, () => SubmitAsync(jobs, new SubmitJobRequest { Spec = Spec("sha256") }, huge));

        await AssertUpAndCorrectAsync(cluster, jobs, running.JobId);
    }

    [Fact]
    public async Task WorkerService_MalformedAndForgedMessages_RefusedAndJobCompletes()
    {
        await using var cluster = await TestCluster.StartAsync(output, tokens: false, workers: 1, threads: 2, coordinatorArgs: ["--Coordinator:MaxWorkerLosses=100"]);
        var running = await cluster.Client.SubmitAsync(WithChunks(Spec("primes", ("from", 0L), ("to", 1_000_000_000L)), 400));
        var sleeping = await cluster.Client.SubmitAsync(WithChunks(Spec("sleep", ("ms", 20L)), 200));
        using var channel = Channel(cluster);
        var workers = new WorkerService.WorkerServiceClient(channel);
        var jobs = new JobService.JobServiceClient(channel);

        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join", [Heartbeat()]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join", [new WorkerMessage { Results = new ChunkResultBatch() }]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join.worker_id", [Join(string.Empty)]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join.worker_id", [Join(Mib)]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join.threads", [Join("raw", threads: -1)]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join.threads", [Join("raw", threads: int.MaxValue)]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join.host", [new WorkerMessage { Join = new JoinRequest { WorkerId = "raw", Threads = 1, Host = Mib } }]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "join: sent twice", [Join("raw-twice"), Join("raw-twice")]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "results[0].job_id", [Join("raw-path"), Result("../x", 0, 1)]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "results[0].chunk_index", [Join("raw-negative"), Result(sleeping.JobId, -1, 1)]);
        await ExpectWorkerAsync(workers, StatusCode.InvalidArgument, "results[0].attempt", [Join("raw-attempt"), Result(sleeping.JobId, 0, 0)]);

        // Results for chunks never assigned to this worker: one beyond the job, one it was never given.
        await ExpectWorkerAsync(workers, StatusCode.PermissionDenied, "never assigned", [Join("raw-never"), Result(sleeping.JobId, long.MaxValue, 1)]);
        await ExpectWorkerAsync(workers, StatusCode.PermissionDenied, "never assigned", [Join("raw-never-2"), Result(sleeping.JobId, 0, 77)]);

        // A result for another worker's attempt: one raw worker holds it, a second one answers it.
        using (var holder = workers.Connect(Options()))
        {
            await holder.RequestStream.WriteAsync(Join("raw-holder"));
            var assigned = await FirstAssignmentAsync(holder.ResponseStream);
            await ExpectWorkerAsync(workers, StatusCode.PermissionDenied, "never assigned to worker raw-thief", [Join("raw-thief"), Result(assigned.JobId, assigned.ChunkIndex, assigned.Attempt)]);
            await holder.RequestStream.CompleteAsync();
        }

        await ExpectAsync(StatusCode.InvalidArgument, "worker_id", () => workers.ReportWorkerExitAsync(new WorkerExitReport(), Options()).ResponseAsync);
        await ExpectAsync(StatusCode.InvalidArgument, "description", () => workers.ReportWorkerExitAsync(new WorkerExitReport { WorkerId = "w", Description = Mib }, Options()).ResponseAsync);

        var events = (await jobs.GetJobAsync(new GetJobRequest { JobId = sleeping.JobId }, Options())).Events;
        Assert.Contains(events, e => e.Contains("forged result", StringComparison.Ordinal));
        Assert.Equal(JobState.Succeeded, (await cluster.Client.WaitForCompletionAsync(sleeping.JobId).WaitAsync(TestCluster.JobTimeout)).State);
        await AssertUpAndCorrectAsync(cluster, jobs, running.JobId);
    }

    [Fact]
    public async Task GrpcPort_GarbageHttp1AndIdleConnections_ClosedOrHeldAndJobCompletes()
    {
        await using var cluster = await TestCluster.StartAsync(output, tokens: false, workers: 1, threads: 2);
        var running = await cluster.Client.SubmitAsync(WithChunks(Spec("primes", ("from", 0L), ("to", 1_000_000_000L)), 400));
        var address = cluster.Cluster.Address;

        foreach (var payload in new[] { RandomBytes(4096), Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: keep-alive\r\n\r\n"), Encoding.ASCII.GetBytes("POST /cluster.v1.JobService/ListJobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc\r\nContent-Length: 5\r\n\r\n\0\0\0\0\0") })
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port).WaitAsync(CallTimeout);
            var stream = tcp.GetStream();
            await stream.WriteAsync(payload).AsTask().WaitAsync(CallTimeout);
            var answer = await ReadUntilClosedAsync(stream);
            output.WriteLine($"{payload.Length}-byte probe answered with {answer.Length} bytes and closed");
            Assert.False(Encoding.ASCII.GetString(answer).StartsWith("HTTP/1.1 200", StringComparison.Ordinal));
        }

        // 500 connections opened and left idle: the coordinator holds them (Coordinator:Limits:MaxConnections is 1000) and serves on.
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 500; i++)
            {
                var tcp = new TcpClient();
                idle.Add(tcp);
                await tcp.ConnectAsync(address.Host, address.Port).WaitAsync(CallTimeout);
            }

            using var channel = Channel(cluster);
            await AssertUpAndCorrectAsync(cluster, new JobService.JobServiceClient(channel), running.JobId);
        }
        finally
        {
            idle.ForEach(t => t.Dispose());
        }
    }

    [Fact]
    public async Task Limits_Exceeded_ResourceExhaustedNamingLimitAndSlowLorisCancelled()
    {
        var spool = Path.Combine(Path.GetTempPath(), "cluster-limits-it-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var cluster = await TestCluster.StartAsync(output, tokens: false, workers: 1, threads: 1, coordinatorArgs:
            [
                "--Coordinator:Limits:MaxWatchesPerClient=2",
                "--Coordinator:Limits:MaxQueuedJobsPerClient=3",
                "--Coordinator:Limits:MaxSubmitStreamsPerClient=2",
                "--Coordinator:Limits:SubmitIdleTimeout=00:00:01",
                $"--Coordinator:SpoolDirectory={spool}",
            ]);
            using var channel = Channel(cluster);
            var jobs = new JobService.JobServiceClient(channel);
            var slow = await cluster.Client.SubmitAsync(WithChunks(Spec("sleep", ("ms", 100L)), 30));

            // Slow loris: a spec and one piece of input, then silence.
            using (var loris = jobs.SubmitJob(Options()))
            {
                await loris.RequestStream.WriteAsync(new SubmitJobRequest { Spec = Spec("sha256") });
                await loris.RequestStream.WriteAsync(new SubmitJobRequest { Input = ByteString.CopyFrom(new byte[1 << 20]) });
                var ex = await Assert.ThrowsAsync<RpcException>(() => loris.ResponseAsync);
                Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
                Assert.Contains("Coordinator:Limits:SubmitIdleTimeout", ex.Status.Detail, StringComparison.Ordinal);
            }

            await TestCluster.PollAsync(() => Task.FromResult(Directory.Exists(spool) ? Directory.GetFiles(spool, "*.input").Length : 0), n => n == 0, CallTimeout, "the slow upload's spool file to be deleted");

            // Watches per client.
            using (var w1 = jobs.WatchJob(new WatchJobRequest { JobId = slow.JobId }, Options()))
            using (var w2 = jobs.WatchJob(new WatchJobRequest { JobId = slow.JobId }, Options()))
            {
                Assert.True(await w1.ResponseStream.MoveNext(CancellationToken.None));
                Assert.True(await w2.ResponseStream.MoveNext(CancellationToken.None));
                await ExpectAsync(StatusCode.ResourceExhausted, "concurrent watches per client: at most 2 (Coordinator:Limits:MaxWatchesPerClient)", () => Drain(jobs.WatchJob(new WatchJobRequest { JobId = slow.JobId }, Options()).ResponseStream));
            }

            // SubmitJob streams per client: two held open, a third refused.
            using (var s1 = jobs.SubmitJob(Options()))
            using (var s2 = jobs.SubmitJob(Options()))
            {
                await s1.RequestStream.WriteAsync(new SubmitJobRequest { Spec = Spec("sha256") });
                await s2.RequestStream.WriteAsync(new SubmitJobRequest { Spec = Spec("sha256") });
                await TestCluster.PollAsync(
                    async () => await CodeOfAsync(() => SubmitAsync(jobs, new SubmitJobRequest { Spec = Spec("noop") })),
                    code => code == StatusCode.ResourceExhausted,
                    CallTimeout,
                    "a third SubmitJob stream to be refused");
            }

            // Jobs queued per client: the slow job and two more fill it.
            var queued = new List<string>();
            await TestCluster.PollAsync(
                async () =>
                {
                    try
                    {
                        queued.Add((await cluster.Client.SubmitAsync(WithChunks(Spec("sleep", ("ms", 300L)), 5))).JobId);
                        return (StatusCode?)null;
                    }
                    catch (Cluster.Client.ClusterException ex)
                    {
                        return ex.StatusCode;
                    }
                },
                // Refused with the slow job and two of these queued: the two SubmitJob streams above may still count
                // for a moment after they were dropped, and a refusal then says nothing about the queued jobs.
                code => code == StatusCode.ResourceExhausted && queued.Count >= 2,
                CallTimeout,
                "a submission beyond the queued-jobs limit to be refused");
            var refused = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(jobs, new SubmitJobRequest { Spec = Spec("noop") }));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Equal("jobs queued per client: at most 3 (Coordinator:Limits:MaxQueuedJobsPerClient)", refused.Status.Detail);

            // Once they finish, the client may submit again, and the coordinator answers correctly.
            foreach (var id in queued.Append(slow.JobId))
            {
                Assert.Equal(JobState.Succeeded, (await cluster.Client.WaitForCompletionAsync(id).WaitAsync(TestCluster.JobTimeout)).State);
            }

            Assert.Equal(78_498, Json(await cluster.RunAsync(Spec("primes", ("from", 0L), ("to", 1_000_000L)))).GetProperty("count").GetInt64());
        }
        finally
        {
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    private static IEnumerable<(JobSpec Spec, string Field)> BadSpecs()
    {
        yield return (Spec(Mib), "kind");
        yield return (new JobSpec(), "kind");
        yield return (With(Spec("primes", ("from", 0L), ("to", 10L)), s => s.Name = Mib), "name");
        yield return (With(Spec("noop"), s => s.Chunks = -1), "chunks");
        yield return (With(Spec("noop"), s => s.Chunks = long.MaxValue), "chunks");
        yield return (With(Spec("noop"), s => s.ChunkSize = long.MinValue), "chunk_size");
        yield return (With(Spec("noop"), s => s.MaxAttempts = -1), "max_attempts");
        yield return (With(Spec("noop"), s => s.MaxAttempts = int.MaxValue), "max_attempts");
        yield return (Spec("primes", ("from", long.MinValue), ("to", long.MaxValue)), "from");
        yield return (Spec("mandelbrot", ("width", 8L), ("height", 8L), ("scale", double.NaN)), "scale");
        yield return (Spec("mandelbrot", ("width", 8L), ("height", 8L), ("scale", double.PositiveInfinity)), "scale");
        yield return (Spec("mandelbrot", ("width", 8L), ("height", 8L), ("center-x", double.NegativeInfinity)), "center-x");
        yield return (Spec("noop", (Mib, 1L)), "parameters");
        yield return (Spec("noop", ("bogus", Mib)), "parameters.bogus");
        yield return (With(Spec("noop"), s => s.Parameters["unset"] = new ParameterValue()), "unset");
    }

    private static JobSpec With(JobSpec spec, Action<JobSpec> change)
    {
        change(spec);
        return spec;
    }

    private static JobSpec WithChunks(JobSpec spec, long chunks) => With(spec, s => s.Chunks = chunks);

    private static GrpcChannel Channel(TestCluster cluster) =>
        GrpcChannel.ForAddress(cluster.Cluster.Address, new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });

    private static CallOptions Options() => new(deadline: DateTime.UtcNow + CallTimeout);

    private static WorkerMessage Join(string id, int threads = 1) => new() { Join = new JoinRequest { WorkerId = id, Host = "raw", Pid = 1, Threads = threads } };

    private static WorkerMessage Heartbeat() => new() { Heartbeat = new Heartbeat { SentUnixMs = -1, Running = -1, Queued = int.MaxValue } };

    private static WorkerMessage Result(string jobId, long chunk, int attempt) => new()
    {
        Results = new ChunkResultBatch { Results = { new ChunkResult { JobId = jobId, ChunkIndex = chunk, Attempt = attempt, Output = ByteString.CopyFrom(new byte[8]) } } },
    };

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(8).NextBytes(bytes);
        return bytes;
    }

    private async Task ExpectAsync(StatusCode code, string inDetail, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => call().WaitAsync(CallTimeout));
        output.WriteLine($"{ex.StatusCode}: {Shorten(ex.Status.Detail)}");
        Assert.Equal(code, ex.StatusCode);
        Assert.Contains(inDetail, ex.Status.Detail, StringComparison.Ordinal);
    }

    private async Task ExpectWorkerAsync(WorkerService.WorkerServiceClient workers, StatusCode code, string inDetail, WorkerMessage[] messages)
    {
        using var call = workers.Connect(Options());
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message).WaitAsync(CallTimeout);
            }
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // The coordinator ended the call before the last message went out; its status is read below.
        }

        await ExpectAsync(code, inDetail, () => Drain(call.ResponseStream));
    }

    private static async Task<ChunkAssignment> FirstAssignmentAsync(IAsyncStreamReader<CoordinatorMessage> responses)
    {
        while (await responses.MoveNext(CancellationToken.None).WaitAsync(CallTimeout))
        {
            if (responses.Current.PayloadCase == CoordinatorMessage.PayloadOneofCase.Assignments && responses.Current.Assignments.Chunks.Count > 0)
            {
                return responses.Current.Assignments.Chunks[0];
            }
        }

        throw new InvalidOperationException("The stream ended before any assignment.");
    }

    private static async Task<SubmitJobResponse> SubmitAsync(JobService.JobServiceClient jobs, params SubmitJobRequest[] messages)
    {
        using var call = jobs.SubmitJob(Options());
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // Refused before the last message went out; the status is in the response.
        }

        return await call.ResponseAsync;
    }

    private static async Task<StatusCode?> CodeOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static async Task Drain<T>(IAsyncStreamReader<T> stream)
    {
        while (await stream.MoveNext(CancellationToken.None))
        {
        }
    }

    private static async Task<byte[]> RawUnaryAsync(GrpcChannel channel, string service, string method, byte[] request)
    {
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var definition = new Method<byte[], byte[]>(MethodType.Unary, service, method, marshaller, marshaller);
        return await channel.CreateCallInvoker().AsyncUnaryCall(definition, null, Options(), request);
    }

    private static async Task<byte[]> ReadUntilClosedAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(CallTimeout)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the coordinator: closed too.
        }

        return received.ToArray();
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static async Task AssertUpAndCorrectAsync(TestCluster cluster, JobService.JobServiceClient jobs, string runningJobId)
    {
        Assert.NotEmpty((await jobs.ListKindsAsync(new ListKindsRequest(), Options())).Kinds);
        Assert.False(cluster.Coordinator.HasExited);
        var job = await cluster.Client.WaitForCompletionAsync(runningJobId).WaitAsync(TestCluster.JobTimeout);
        Assert.Equal(PrimesBelowOneBillion, Json(job).GetProperty("count").GetInt64());
    }
}
