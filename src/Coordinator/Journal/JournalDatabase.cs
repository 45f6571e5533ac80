using Microsoft.Data.Sqlite;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// The journal's SQLite database: opened in WAL mode with an exclusive lock (a second coordinator on the same data
/// directory is refused), checked, migrated forward to <see cref="JournalSchema.Version"/>, and its epoch advanced. Any
/// failure to open is a <see cref="JournalOpenException"/> of one sentence naming the file and what to do.
/// </summary>
internal sealed class JournalDatabase : IDisposable
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>Bytes the WAL file is cut back to after a checkpoint.</summary>
    public const long JournalSizeLimit = 16 << 20;

    private JournalDatabase(SqliteConnection connection, string path, long epoch)
    {
        Connection = connection;
        Path = path;
        Epoch = epoch;
    }

    /// <summary>The open connection; used by one thread at a time, the one holding <see cref="Gate"/>.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>
    /// Held by whoever uses <see cref="Connection"/>: the journal's writer for each commit, start-up recovery while it
    /// reads (the writer runs from the start, and recovery queues records while it reads).
    /// </summary>
    public Lock Gate { get; } = new();

    public string Path { get; }

    /// <summary>This start's epoch: one more than the previous start's, 1 on a new journal.</summary>
    public long Epoch { get; }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/> and migrates it to <paramref name="version"/>.</summary>
    public static JournalDatabase Open(string path, int version = -1)
    {
        version = version < 0 ? JournalSchema.Version : version;
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,

            // One connection holds the journal exclusively; waiting for a lock means another coordinator holds it.
            DefaultTimeout = 1,
        }.ToString());
        try
        {
            connection.Open();
            // A new journal frees pages with incremental vacuum (set before its first table); the WAL is checkpointed
            // every 1000 pages (SQLite's default) and cut back to JournalSizeLimit after each checkpoint, so neither
            // file grows without bound.
            Execute(connection, $"PRAGMA auto_vacuum = INCREMENTAL; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000; PRAGMA journal_size_limit = {JournalSizeLimit};");
            var check = Scalar(connection, "PRAGMA quick_check;") as string;
            if (!string.Equals(check, "ok", StringComparison.Ordinal))
            {
                throw Corrupt(path, check ?? "quick_check gave no answer", null);
            }

            Migrate(connection, path, version);
            var epoch = (long)Scalar(connection, "UPDATE meta SET value = value + 1 WHERE key = 'epoch' RETURNING value;")!;
            return new JournalDatabase(connection, path, epoch);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            connection.Dispose();
            throw Corrupt(path, ex.Message, ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            connection.Dispose();
            throw new JournalOpenException($"The journal {path} is in use by another coordinator: stop that one, or give this one its own --data-dir.", ex);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new JournalOpenException($"The journal {path} cannot be opened ({ex.Message}): check the data directory's permissions and free space, then start again.", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The schema version stored in the journal (0 for an empty file).</summary>
    public static int StoredVersion(SqliteConnection connection) =>
        Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Connection.Dispose();

    private static void Migrate(SqliteConnection connection, string path, int version)
    {
        var stored = StoredVersion(connection);
        if (stored > JournalSchema.Version)
        {
            throw new JournalOpenException($"The journal {path} has schema version {stored}, newer than this coordinator's {JournalSchema.Version}: run the newer coordinator that wrote it, or move the data directory aside to start empty.");
        }

        for (var next = stored + 1; next <= version; next++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, JournalSchema.Migrations[next - 1], transaction);
            Execute(connection, $"PRAGMA user_version = {next};", transaction);
            transaction.Commit();
        }
    }

    private static JournalOpenException Corrupt(string path, string detail, Exception? inner) =>
        new($"The journal {path} is damaged ({detail.TrimEnd('.')}): move its data directory aside (or restore a copy) and start again; jobs it held are lost.", inner);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
