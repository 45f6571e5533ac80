using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Tests.Hosting.Inputs;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Execution;

public sealed class ExecutorCacheTests
{
    private readonly CountingKind _kind = new();

    [Fact]
    public async Task Prepare_SameJobTwice_CreatesItsExecutorOnce()
    {
        var cache = NewCache();

        await cache.PrepareAsync(Definition("j"), CancellationToken.None);
        Assert.True(cache.TryGet("j", out var first));
        await cache.PrepareAsync(Definition("j"), CancellationToken.None);

        Assert.Equal(1, _kind.ExecutorsCreated);
        Assert.True(cache.TryGet("j", out var second));
        Assert.Same(first, second);
        Assert.NotNull(first.Executor);
        Assert.Null(first.SetupError);
    }

    [Fact]
    public async Task Prepare_ParameterGiven_BindsItForTheExecutor()
    {
        var cache = NewCache();
        var definition = Definition("j");
        definition.Parameters["scale"] = ParameterValue.FromClr(7L);

        await cache.PrepareAsync(definition, CancellationToken.None);

        Assert.Equal(7, _kind.LastScale);
    }

    [Fact]
    public async Task Prepare_UnknownKind_KeepsSetupErrorNamingTheKindAndLogs4101()
    {
        var logger = new ListLogger();
        var cache = new ExecutorCache(new JobKindCatalog([_kind]), UnusedBundles.Create(), TestHttpInput.Default, logger);

        await cache.PrepareAsync(new JobDefinition { JobId = "j", Kind = "nope" }, CancellationToken.None);

        Assert.True(cache.TryGet("j", out var job));
        Assert.Null(job.Executor);
        Assert.IsType<InvalidOperationException>(job.SetupError);
        Assert.Contains("'nope'", job.SetupError.Message, StringComparison.Ordinal);
        var logged = Assert.Single(logger.Entries);
        Assert.Equal(4101, logged.EventId);
    }

    [Fact]
    public async Task Prepare_ParameterTheKindDoesNotDeclare_KeepsBindErrorAsSetupError()
    {
        var cache = NewCache();
        var definition = Definition("j");
        definition.Parameters["unknown"] = ParameterValue.FromClr(1L);

        await cache.PrepareAsync(definition, CancellationToken.None);

        Assert.True(cache.TryGet("j", out var job));
        Assert.Null(job.Executor);
        Assert.IsType<JobParameterException>(job.SetupError);
        Assert.Equal(0, _kind.ExecutorsCreated);
    }

    [Fact]
    public async Task Close_PreparedJob_CancelsItsTokenAndForgetsIt()
    {
        var cache = NewCache();
        await cache.PrepareAsync(Definition("j"), CancellationToken.None);
        Assert.True(cache.TryGet("j", out var job));

        cache.Close("j");

        Assert.True(job.Token.IsCancellationRequested);
        Assert.False(cache.TryGet("j", out _));
    }

    [Fact]
    public async Task Close_UnknownJob_LeavesOthersAlone()
    {
        var cache = NewCache();
        await cache.PrepareAsync(Definition("j"), CancellationToken.None);

        cache.Close("other");

        Assert.True(cache.TryGet("j", out var job));
        Assert.False(job.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Prepare_AfterClose_PreparesAFreshContext()
    {
        var cache = NewCache();
        await cache.PrepareAsync(Definition("j"), CancellationToken.None);
        cache.Close("j");

        await cache.PrepareAsync(Definition("j"), CancellationToken.None);

        Assert.Equal(2, _kind.ExecutorsCreated);
        Assert.True(cache.TryGet("j", out var job));
        Assert.False(job.Token.IsCancellationRequested);
    }

    private ExecutorCache NewCache() => new(new JobKindCatalog([_kind]), UnusedBundles.Create(), TestHttpInput.Default, NullLogger.Instance);

    private JobDefinition Definition(string jobId) => new() { JobId = jobId, Kind = _kind.Name };
}
