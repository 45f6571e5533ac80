using Cluster.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Hosting;

/// <summary>
/// Stops the host when the process's standard input reaches end-of-file; on when the process is started with
/// <see cref="ProcessFlags.ExitWithParent"/>. A parent that starts this process with a redirected standard input holds
/// the pipe's write end; when the parent dies, even by SIGKILL, the kernel closes it, so the child notices and exits
/// instead of living on as an orphan. This needs no polling and no Linux-only prctl.
/// </summary>
/// <remarks>
/// The read runs on a background thread of its own: a blocking read of standard input cannot be cancelled, and an
/// awaited one would hold up every graceful shutdown until the host's timeout.
/// </remarks>
public sealed partial class ParentWatch(IHostApplicationLifetime lifetime, ILogger<ParentWatch> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        new Thread(Watch) { IsBackground = true, Name = "parent-watch" }.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Watch()
    {
        using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (stdin.Read(buffer) > 0)
        {
            // The parent sends nothing; anything it does send is ignored.
        }

        LogParentGone(logger);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Standard input closed: the parent process is gone, shutting down")]
    private static partial void LogParentGone(ILogger logger);
}
