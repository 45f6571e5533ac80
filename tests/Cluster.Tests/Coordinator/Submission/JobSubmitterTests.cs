using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;

namespace Cluster.Tests.Coordinator.Submission;

public sealed class JobSubmitterTests
{
    [Theory]
    [InlineData("", "kind")]
    [InlineData("nope", "kind")]
    public async Task SubmitAsync_BadKind_NamesKindField(string kind, string field)
    {
        var host = new CoordinatorTestHost();

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, Squares(1) with { Kind = kind, Parameters = NoParameters }));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_ChunksAndChunkSize_Rejected()
    {
        var host = new CoordinatorTestHost();
        var spec = Squares(10) with { Chunks = 2, ChunkSize = 3 };

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, spec));

        Assert.Equal("chunk_size", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_MissingRequiredParameter_NamesIt()
    {
        var host = new CoordinatorTestHost();

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, Squares(1) with { Parameters = NoParameters }));

        Assert.Equal("n", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_ParameterWithoutValue_NamesIt()
    {
        var host = new CoordinatorTestHost();
        var spec = Squares(1) with { Parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["n"] = null } };

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, spec));

        Assert.Equal("n", ex.Field);
        Assert.Contains("has no value set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_InputForKindWithoutInput_Rejected()
    {
        var host = new CoordinatorTestHost();

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => Submit(host, Squares(3), "data"u8.ToArray()));

        Assert.Equal("input", ex.Field);
    }

    [Fact]
    public async Task SubmitAsync_NegativeMaxAttempts_Rejected()
    {
        var host = new CoordinatorTestHost();
        var spec = Squares(3) with { MaxAttempts = -1 };

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

    private static readonly Dictionary<string, object?> NoParameters = [];

    private static JobSubmission Squares(long n) => CoordinatorTestHost.Squares(n);

    private static Task<Job> Submit(CoordinatorTestHost host, JobSubmission spec, params byte[][] input) =>
        host.Submitter.SubmitAsync(spec, input.Select(piece => (ReadOnlyMemory<byte>)piece).ToAsyncEnumerable(), CancellationToken.None);
}
