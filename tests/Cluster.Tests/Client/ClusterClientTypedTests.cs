using System.Text.Json;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Jobs.Typed;
using Cluster.Tests.Jobs.Typed;
using Google.Protobuf;

namespace Cluster.Tests.Client;

/// <summary>Typed kinds through the client: parameters records to specs, summaries back to result records.</summary>
public sealed class ClusterClientTypedTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void For_SquaresParameters_KindBindsTheSameRecordBack()
    {
        var kind = new SquaresKind();
        var parameters = new SquaresParameters(From: 3, To: 700, Modulus: 97, Scale: 0.25, Label: "x", Negate: true);

        var spec = JobSpecs.For(kind, parameters);

        Assert.Equal("typedtest-squares", spec.Kind);
        Assert.Equal(97, spec.Parameters["modulus"].IntValue);
        var raw = spec.Parameters.ToDictionary(p => p.Key, p => p.Value.ToClr()!);
        Assert.Equal(parameters, kind.Bind(JobParameters.Bind(kind.Parameters, raw)));
    }

    [Fact]
    public void For_NoParameters_EmptySpec()
    {
        var spec = JobSpecs.For(new LengthsKind(), new NoParameters());

        Assert.Equal("typedtest-lengths", spec.Kind);
        Assert.Empty(spec.Parameters);
    }

    [Fact]
    public async Task RunAsync_TypedKind_SendsItsParametersAndReadsItsResult()
    {
        var expected = new SquaresResult(Sum: 1234, Chunks: 3, Label: "sq", Scaled: 1851);
        var summary = JsonSerializer.Serialize(expected, ChunkCodecs.JsonOptions);
        JobSpec? submitted = null;
        var done = new JobInfo { JobId = "j1", State = JobState.Succeeded, ResultJson = summary, ResultBytes = summary.Length };
        var invoker = new FakeCallInvoker()
            .OnClientStreaming<SubmitJobRequest, SubmitJobResponse>(FakeCallInvoker.JobService("SubmitJob"), requests =>
            {
                submitted = requests[0].Spec;
                return new SubmitJobResponse { Job = new JobInfo { JobId = "j1", State = JobState.Pending } };
            })
            .OnServerStreaming<WatchJobRequest, JobEvent>(FakeCallInvoker.JobService("WatchJob"), _ => new FakeReader<JobEvent>([new() { Job = done }], null))
            .OnServerStreaming<GetJobResultRequest, JobResultChunk>(FakeCallInvoker.JobService("GetJobResult"), _ => new FakeReader<JobResultChunk>(
                [new() { Data = ByteString.CopyFromUtf8(summary), TotalBytes = summary.Length, ContentType = "application/json" }], null));
        using var client = new ClusterClient(invoker, new Uri("http://127.0.0.1:1"));

        var result = await client.RunAsync(new SquaresKind(), new SquaresParameters(From: 0, To: 10)).WaitAsync(Bound);

        Assert.Equal(expected, result.Value);
        Assert.Equal("typedtest-squares", submitted!.Kind);
        Assert.Equal(10, submitted.Parameters["to"].IntValue);
    }

    [Fact]
    public async Task GetResultAsyncTyped_NumberResult_ReadFromValueWrapper()
    {
        var invoker = new FakeCallInvoker().OnUnary<GetJobRequest, JobInfo>(
            FakeCallInvoker.JobService("GetJob"), _ => new JobInfo { JobId = "j1", State = JobState.Succeeded, ResultJson = "{\"value\":42}" });
        using var client = new ClusterClient(invoker, new Uri("http://127.0.0.1:1"));

        var result = await client.GetResultAsync<long>("j1").WaitAsync(Bound);

        Assert.Equal(42, result.Value);
    }

    [Fact]
    public async Task GetResultAsyncTyped_JobRunning_FailedPrecondition()
    {
        var invoker = new FakeCallInvoker().OnUnary<GetJobRequest, JobInfo>(
            FakeCallInvoker.JobService("GetJob"), _ => new JobInfo { JobId = "j1", State = JobState.Running });
        using var client = new ClusterClient(invoker, new Uri("http://127.0.0.1:1"));

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.GetResultAsync<SquaresResult>("j1").WaitAsync(Bound));

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("Job j1 is Running; a result exists only once it has succeeded.", error.Message);
    }
}
