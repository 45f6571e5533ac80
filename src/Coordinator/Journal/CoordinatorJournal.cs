using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// The coordinator's journal, when it has a data directory (<see cref="CoordinatorOptions.DataDir"/>): the directory and
/// the database, opened at start-up (before the server listens) so a journal that cannot be used stops the coordinator
/// with one sentence. Without a data directory <see cref="IsEnabled"/> is false and nothing is written.
/// </summary>
internal sealed partial class CoordinatorJournal : IDisposable
{
    public CoordinatorJournal(IOptions<CoordinatorOptions> options, ILogger<CoordinatorJournal> logger)
    {
        var dataDir = options.Value.DataDir;
        if (string.IsNullOrEmpty(dataDir))
        {
            return;
        }

        Directory = new DataDirectory(dataDir);
        Database = JournalDatabase.Open(Directory.JournalPath);
        LogOpened(logger, Database.Path, Database.Epoch, JournalSchema.Version);
    }

    public bool IsEnabled => Database is not null;

    public DataDirectory? Directory { get; }

    public JournalDatabase? Database { get; }

    /// <summary>This start's epoch (0 without a journal): it increases on every start on the same data directory.</summary>
    public long Epoch => Database?.Epoch ?? 0;

    public void Dispose() => Database?.Dispose();

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Journal {Path} opened: epoch {Epoch}, schema version {Version}")]
    private static partial void LogOpened(ILogger logger, string path, long epoch, int version);
}
