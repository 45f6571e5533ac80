using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Jobs;
using Google.Protobuf;

namespace Cluster.Tests.Coordinator.Jobs;

public sealed class JobSubmitterTests
{
    [Theory]
    [InlineData("", "kind")]
    [InlineData("nope", "kind")]
    public async Task SubmitAsync_BadKind_NamesKindField(string kind, string field)
    {
        var host = new CoordinatorTestHost();

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, new JobSpec { Kind = kind }));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_ChunksAndChunkSize_Rejected()
    {
        var host = new CoordinatorTestHost();
        var spec = Squares(10);
        spec.Chunks = 2;
        spec.ChunkSize = 3;

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, spec));

        Assert.Equal("chunk_size", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_MissingRequiredParameter_NamesIt()
    {
        var host = new CoordinatorTestHost();

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, new JobSpec { Kind = "squares" }));

        Assert.Equal("n", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_InputForKindWithoutInput_Rejected()
    {
        var host = new CoordinatorTestHost();

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, Squares(3), ByteString.CopyFromUtf8("data")));

        Assert.Equal("input", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_NegativeMaxAttempts_Rejected()
    {
        var host = new CoordinatorTestHost();
        var spec = Squares(3);
        spec.MaxAttempts = -1;

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, spec));

        Assert.Equal("max_attempts", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_TooManyChunks_Rejected()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { MaxChunksPerJob = 5 });

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, Squares(6)));

        Assert.Equal("chunks", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_ValidSpec_QueuedAndListed()
    {
        var host = new CoordinatorTestHost();

        var job = await Submit(host, Squares(4));

        Assert.Equal(JobState.Pending, job.State);
        Assert.True(host.Store.TryGet(job.Id, out var stored));
        Assert.Same(job, stored);
        Assert.Equal(4, job.Plan.ChunkCount);
    }

    private static JobSpec Squares(long n)
    {
        var spec = new JobSpec { Kind = "squares" };
        spec.Parameters["n"] = new ParameterValue { IntValue = n };
        return spec;
    }

    private static Task<Job> Submit(CoordinatorTestHost host, JobSpec spec, params ByteString[] input) =>
        host.Submitter.SubmitAsync(spec, input.ToAsyncEnumerable(), CancellationToken.None);
}
