using Cluster.Client.Local;

namespace Cluster.Tests.Client.Local;

/// <summary>A worker process that exits when the test says so.</summary>
internal sealed class FakeWorkerProcess(int pid) : ISupervisedProcess
{
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid => pid;

    public int? ExitCode { get; private set; }

    public void Exit(int code)
    {
        ExitCode = code;
        _exited.TrySetResult();
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _exited.Task.WaitAsync(cancellationToken);
}
