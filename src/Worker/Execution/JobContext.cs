using Cluster.Jobs;

namespace Cluster.Worker.Execution;

/// <summary>What a worker holds for one job while it has chunks of it: the kind's executor and a way to stop them.</summary>
internal sealed class JobContext : IDisposable
{
    private readonly CancellationTokenSource _cancellation;

    public JobContext(string jobId, IChunkExecutor? executor, Exception? setupError, CancellationToken session)
    {
        JobId = jobId;
        Executor = executor;
        SetupError = setupError;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(session);
    }

    public string JobId { get; }

    /// <summary>The executor, or <see langword="null"/> when creating it failed (see <see cref="SetupError"/>).</summary>
    public IChunkExecutor? Executor { get; }

    /// <summary>Why the executor could not be created; every chunk of the job then fails with it.</summary>
    public Exception? SetupError { get; }

    public CancellationToken Token => _cancellation.Token;

    public void Cancel() => _cancellation.Cancel();

    public void Dispose() => _cancellation.Dispose();
}
