using System.Diagnostics.CodeAnalysis;
using Cluster.Jobs;

namespace Cluster.Worker.Execution;

/// <summary>What a worker holds for one job while it has chunks of it: the kind's executor and a way to stop them.</summary>
/// <remarks>
/// Its cancellation source is linked to nothing and never disposed: a chunk still running after its session ended
/// keeps reading the token, and a source without timers or links holds nothing that needs freeing.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Never disposed on purpose: see the remarks.")]
internal sealed class JobContext
{
    private readonly CancellationTokenSource _cancellation;

    private IChunkExecutor? _executor;

    public JobContext(string jobId, IChunkExecutor? executor, Exception? setupError)
    {
        JobId = jobId;
        _executor = executor;
        SetupError = setupError;
        _cancellation = new CancellationTokenSource();
    }

    public string JobId { get; }

    /// <summary>The executor, or <see langword="null"/> when creating it failed (see <see cref="SetupError"/>).</summary>
    /// <remarks>Null too once the job closed: a compute thread that still holds the job's last work item then no longer holds the executor, so a bundle's code can be unloaded.</remarks>
    public IChunkExecutor? Executor => Volatile.Read(ref _executor);

    /// <summary>Why the executor could not be created; every chunk of the job then fails with it.</summary>
    public Exception? SetupError { get; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The job's use of its bundle, or null for a kind the worker knows; ended when the job closes.</summary>
    public IDisposable? Bundle { get; init; }

    /// <summary>The job's input by reference, open for positional reads, or null; closed when the job closes.</summary>
    /// <remarks>Not when a session ends: chunks still running then finish and read it; the handle's finalizer closes it.</remarks>
    public IDisposable? Input { get; init; }

    /// <summary>The job's trace context from the coordinator (<c>JobDefinition.trace_parent</c>); default when untraced.</summary>
    public System.Diagnostics.ActivityContext TraceParent { get; init; }

    public void Cancel() => _cancellation.Cancel();

    /// <summary>The job closed: stops its chunks and drops the executor and the job's use of its bundle.</summary>
    public void Close()
    {
        _cancellation.Cancel();
        Volatile.Write(ref _executor, null);
        Bundle?.Dispose();
        Input?.Dispose();
    }
}
