using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Security;

/// <summary>With <see cref="AuthOptions.Insecure"/> and no token file, warns at start and every <see cref="Interval"/> that anyone who reaches the port can run jobs.</summary>
internal sealed partial class InsecureWarning(IOptions<AuthOptions> options, TimeProvider time, ILogger<InsecureWarning> logger) : BackgroundService
{
    /// <summary>Time between two warnings: 5 minutes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Insecure || options.Value.TokensFile.Length > 0)
        {
            return;
        }

        try
        {
            while (true)
            {
                LogInsecure(logger);
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning, Message = "Running with --insecure and no token file: anyone who can reach this port can submit jobs, read results and join as a worker")]
    private static partial void LogInsecure(ILogger logger);
}
