using System.IO.Pipelines;
using Cluster.Client;
using Cluster.Contracts.V1;

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
}
