using System.Runtime.InteropServices;

namespace Cluster.Coordinator.Security;

/// <summary>
/// Reloads the token file on SIGHUP and when the file changes (changes within <see cref="Debounce"/> of each other
/// make one reload), so a removed line revokes its token without a restart.
/// </summary>
internal sealed class TokenReloader(TokenStore store, TimeProvider time) : IHostedService, IDisposable
{
    /// <summary>Quiet time after a file change before the reload: 200 ms.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private PosixSignalRegistration? _sighup;
    private FileSystemWatcher? _watcher;
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!store.Enabled)
        {
            return Task.CompletedTask;
        }

        _timer = time.CreateTimer(_ => store.Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                store.Reload();
            });
        }

        var full = Path.GetFullPath(store.FilePath);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnFileEvent;
        _watcher.Created += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _sighup?.Dispose();
        _sighup = null;
        _watcher?.Dispose();
        _watcher = null;
        _timer?.Dispose();
        _timer = null;
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _timer?.Change(Debounce, Timeout.InfiniteTimeSpan);
}
