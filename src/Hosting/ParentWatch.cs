using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Hosting;

/// <summary>
/// Stops the host when the process's standard input reaches end-of-file. A parent that starts this process with a
/// redirected standard input holds the pipe's write end; when the parent dies, even by SIGKILL, the kernel closes it,
/// so the child notices and exits instead of living on as an orphan. This needs no polling and no Linux-only prctl.
/// </summary>
public sealed partial class ParentWatch(IHostApplicationLifetime lifetime, ILogger<ParentWatch> logger) : BackgroundService
{
    /// <summary>The command-line flag that turns the watch on.</summary>
    public const string Flag = "--exit-with-parent";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (await stdin.ReadAsync(buffer, stoppingToken) > 0)
            {
                // The parent sends nothing; anything it does send is ignored.
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        LogParentGone(logger);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Standard input closed: the parent process is gone, shutting down")]
    private static partial void LogParentGone(ILogger logger);
}
