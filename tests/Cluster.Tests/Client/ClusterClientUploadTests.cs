using System.IO.Pipelines;
using Cluster.Client;
using Cluster.Contracts.V1;
using Grpc.Core;

namespace Cluster.Tests.Client;

/// <summary>What the client sends with an input: the declared length when it knows it, and every byte once, in order.</summary>
public sealed class ClusterClientUploadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Uri Address = new("http://127.0.0.1:1");

    [Theory]
    [InlineData(true, 0, 200_000)]
    [InlineData(true, 1234, 200_000 - 1234)]
    [InlineData(false, 0, 0)]
    public async Task SubmitAsync_Input_DeclaresWhatIsLeftOfASeekableStreamAndSendsItAll(bool seekable, int position, long declared)
    {
        var requests = new List<SubmitJobRequest>();
        var invoker = new FakeCallInvoker().OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(FakeCallInvoker.JobService("SubmitJob"), sent =>
        {
            requests.AddRange(sent);
            return new SubmitJobResponse { Job = new JobInfo { JobId = "j1", State = JobState.Pending } };
        });
        using var client = new ClusterClient(invoker, Address, new ClusterClientOptions());
        var input = new byte[200_000];
        Random.Shared.NextBytes(input);
        using var memory = new MemoryStream(input) { Position = position };
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        await pipe.Writer.WriteAsync(input.AsMemory(position));
        await pipe.Writer.CompleteAsync();
        using var stream = seekable ? memory : pipe.Reader.AsStream();
        var spec = new JobSpec { Kind = "sha256" };

        await client.SubmitAsync(spec, stream).WaitAsync(Bound);

        Assert.Equal(declared, requests[0].Spec.InputLength);
        Assert.Equal(0, spec.InputLength);
        Assert.Equal(input.AsSpan(position).ToArray(), requests.Skip(1).SelectMany(r => r.Input.ToByteArray()).ToArray());
    }

    [Fact]
    public async Task SubmitAsync_CoordinatorFailsMidUploadWithItsOwnInternalStatus_ItsSentenceNotABrokenConnection()
    {
        const string Said = "input: the coordinator could not store the upload in /data/inputs: the write failed (Input/output error); check that disk, then submit the job again.";
        var invoker = new FakeCallInvoker()
            .OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(FakeCallInvoker.JobService("SubmitJob"), _ => throw new InvalidOperationException("the call ends at the third write"))
            .FailClientStreamingAfter(FakeCallInvoker.JobService("SubmitJob"), writes: 2, new RpcException(new Status(StatusCode.Internal, Said)));
        using var client = new ClusterClient(invoker, Address, new ClusterClientOptions());
        using var input = new MemoryStream(new byte[3 * ClusterClient.InputPieceBytes]);

        var ex = await Assert.ThrowsAsync<ClusterException>(() => client.SubmitAsync(new JobSpec { Kind = "sha256" }, input).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains(Said, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("broke after", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_TransportFailsMidUpload_SaysTheConnectionBrokeAfterTheBytesSent()
    {
        var reset = new RpcException(new Status(StatusCode.Internal, "Error reading next message.", new IOException("The request stream was reset.")));
        var invoker = new FakeCallInvoker()
            .OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(FakeCallInvoker.JobService("SubmitJob"), _ => throw new InvalidOperationException("the call ends at the third write"))
            .FailClientStreamingAfter(FakeCallInvoker.JobService("SubmitJob"), writes: 2, reset);
        using var client = new ClusterClient(invoker, Address, new ClusterClientOptions());
        using var input = new MemoryStream(new byte[3 * ClusterClient.InputPieceBytes]);

        var ex = await Assert.ThrowsAsync<ClusterException>(() => client.SubmitAsync(new JobSpec { Kind = "sha256" }, input).WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains($"broke after {ClusterClient.InputPieceBytes} bytes of the input were sent", ex.Message, StringComparison.Ordinal);
    }
}
