using Cluster.Coordinator.Journal;
using Microsoft.Data.Sqlite;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class JournalDatabaseTests
{
    [Fact]
    public void Open_NewFile_WalModeAtCurrentVersionEpochOne()
    {
        using var dir = new TempDataDir();
        var data = new DataDirectory(dir.Path);

        using var db = JournalDatabase.Open(data.JournalPath);

        Assert.Equal(1, db.Epoch);
        Assert.Equal(JournalSchema.Version, JournalDatabase.StoredVersion(db.Connection));
        Assert.Equal("wal", Scalar(db.Connection, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Open_EachStart_EpochIncreases()
    {
        using var dir = new TempDataDir();
        var path = new DataDirectory(dir.Path).JournalPath;

        var epochs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            using var db = JournalDatabase.Open(path);
            epochs.Add(db.Epoch);
        }

        Assert.Equal([1L, 2L, 3L], epochs);
    }

    [Fact]
    public void Open_OlderVersion_MigratedForwardKeepingRows()
    {
        using var dir = new TempDataDir();
        var path = new DataDirectory(dir.Path).JournalPath;
        using (var v1 = JournalDatabase.Open(path, version: 1))
        {
            Assert.Equal(1, JournalDatabase.StoredVersion(v1.Connection));
            Execute(v1.Connection, "INSERT INTO jobs (id, spec, chunk_count, input_bytes, submitted_at, state) VALUES ('a', '{}', 3, 0, 0, 0);");
        }

        using var db = JournalDatabase.Open(path);

        Assert.Equal(JournalSchema.Version, JournalDatabase.StoredVersion(db.Connection));
        Assert.Equal("a", Scalar(db.Connection, "SELECT id FROM jobs;"));
        Assert.Equal(0L, Scalar(db.Connection, "SELECT count(*) FROM chunk_faults;"));
        Assert.Equal(0L, Scalar(db.Connection, "SELECT count(*) FROM chunk_attempts;"));
        Assert.Equal(0L, Scalar(db.Connection, "SELECT retried + stale + failed + lost + backups + resent + attempts_omitted FROM jobs;"));
        Assert.Equal(2, db.Epoch);
    }

    [Fact]
    public void Open_NewerSchema_RefusedInOneSentenceNamingFile()
    {
        using var dir = new TempDataDir();
        var path = new DataDirectory(dir.Path).JournalPath;
        using (var db = JournalDatabase.Open(path))
        {
            Execute(db.Connection, $"PRAGMA user_version = {JournalSchema.Version + 1};");
        }

        var ex = Assert.Throws<JournalOpenException>(() => JournalDatabase.Open(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {JournalSchema.Version + 1}, newer than this coordinator's {JournalSchema.Version}", ex.Message, StringComparison.Ordinal);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void Open_NotADatabase_RefusedAsDamaged()
    {
        using var dir = new TempDataDir();
        var path = new DataDirectory(dir.Path).JournalPath;
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);

        var ex = Assert.Throws<JournalOpenException>(() => JournalDatabase.Open(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("is damaged", ex.Message, StringComparison.Ordinal);
        Assert.Contains("move its data directory aside", ex.Message, StringComparison.Ordinal);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void Open_FileTruncatedMidPage_RefusedAsDamaged()
    {
        using var dir = new TempDataDir();
        var path = new DataDirectory(dir.Path).JournalPath;
        using (var db = JournalDatabase.Open(path))
        {
            using var transaction = db.Connection.BeginTransaction();
            for (var i = 0; i < 2000; i++)
            {
                Execute(db.Connection, $"INSERT INTO jobs (id, spec, chunk_count, input_bytes, submitted_at, state) VALUES ('job{i}', '{new string('x', 200)}', 1, 0, 0, 0);", transaction);
            }

            transaction.Commit();
            Execute(db.Connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var length = new FileInfo(path).Length;
        Assert.True(length > 64 * 4096, $"the journal holds {length} bytes, too few pages to cut");
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength((length / 2) + 1000);
        }

        var ex = Assert.Throws<JournalOpenException>(() => JournalDatabase.Open(path));

        Assert.Contains("is damaged", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SecondCoordinatorOnSameFile_RefusedAsInUse()
    {
        using var dir = new TempDataDir();
        var path = new DataDirectory(dir.Path).JournalPath;
        using var first = JournalDatabase.Open(path);

        var ex = Assert.Throws<JournalOpenException>(() => JournalDatabase.Open(path));

        Assert.Contains("in use by another coordinator", ex.Message, StringComparison.Ordinal);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void DataDirectory_ExistingOpenDirectory_NarrowedToOwnerOnly()
    {
        using var dir = new TempDataDir();
        Directory.CreateDirectory(dir.Path);
        File.SetUnixFileMode(dir.Path, DataDirectory.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var data = new DataDirectory(dir.Path);

        Assert.Equal(DataDirectory.OwnerOnly, File.GetUnixFileMode(data.Root));
        Assert.Equal(DataDirectory.OwnerOnly, File.GetUnixFileMode(data.InputsPath));
        Assert.Equal(DataDirectory.OwnerOnly, File.GetUnixFileMode(data.ResultsPath));
    }

    private static void AssertOneSentence(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.DoesNotContain(". ", message, StringComparison.Ordinal);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
