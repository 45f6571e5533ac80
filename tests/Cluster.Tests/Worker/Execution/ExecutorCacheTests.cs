using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Execution;

public sealed class ExecutorCacheTests
{
    private readonly CountingKind _kind = new();

    [Fact]
    public void Prepare_SameJobTwice_CreatesItsExecutorOnce()
    {
        var cache = NewCache();

        cache.Prepare(Definition("j"));
        Assert.True(cache.TryGet("j", out var first));
        cache.Prepare(Definition("j"));

        Assert.Equal(1, _kind.ExecutorsCreated);
        Assert.True(cache.TryGet("j", out var second));
        Assert.Same(first, second);
        Assert.NotNull(first.Executor);
        Assert.Null(first.SetupError);
    }

    [Fact]
    public void Prepare_ParameterGiven_BindsItForTheExecutor()
    {
        var cache = NewCache();
        var definition = Definition("j");
        definition.Parameters["scale"] = ParameterValue.FromClr(7L);

        cache.Prepare(definition);

        Assert.Equal(7, _kind.LastScale);
    }

    [Fact]
    public void Prepare_UnknownKind_KeepsSetupErrorNamingTheKindAndLogs4101()
    {
        var logger = new ListLogger();
        var cache = new ExecutorCache(new JobKindCatalog([_kind]), logger);

        cache.Prepare(new JobDefinition { JobId = "j", Kind = "nope" });

        Assert.True(cache.TryGet("j", out var job));
        Assert.Null(job.Executor);
        Assert.IsType<InvalidOperationException>(job.SetupError);
        Assert.Contains("'nope'", job.SetupError.Message, StringComparison.Ordinal);
        var logged = Assert.Single(logger.Entries);
        Assert.Equal(4101, logged.EventId);
    }

    [Fact]
    public void Prepare_ParameterTheKindDoesNotDeclare_KeepsBindErrorAsSetupError()
    {
        var cache = NewCache();
        var definition = Definition("j");
        definition.Parameters["unknown"] = ParameterValue.FromClr(1L);

        cache.Prepare(definition);

        Assert.True(cache.TryGet("j", out var job));
        Assert.Null(job.Executor);
        Assert.IsType<JobParameterException>(job.SetupError);
        Assert.Equal(0, _kind.ExecutorsCreated);
    }

    [Fact]
    public void Close_PreparedJob_CancelsItsTokenAndForgetsIt()
    {
        var cache = NewCache();
        cache.Prepare(Definition("j"));
        Assert.True(cache.TryGet("j", out var job));

        cache.Close("j");

        Assert.True(job.Token.IsCancellationRequested);
        Assert.False(cache.TryGet("j", out _));
    }

    [Fact]
    public void Close_UnknownJob_LeavesOthersAlone()
    {
        var cache = NewCache();
        cache.Prepare(Definition("j"));

        cache.Close("other");

        Assert.True(cache.TryGet("j", out var job));
        Assert.False(job.Token.IsCancellationRequested);
    }

    [Fact]
    public void Prepare_AfterClose_PreparesAFreshContext()
    {
        var cache = NewCache();
        cache.Prepare(Definition("j"));
        cache.Close("j");

        cache.Prepare(Definition("j"));

        Assert.Equal(2, _kind.ExecutorsCreated);
        Assert.True(cache.TryGet("j", out var job));
        Assert.False(job.Token.IsCancellationRequested);
    }

    private ExecutorCache NewCache() => new(new JobKindCatalog([_kind]), NullLogger.Instance);

    private JobDefinition Definition(string jobId) => new() { JobId = jobId, Kind = _kind.Name };
}
