using Cluster.Coordinator.Journal;
using Microsoft.Data.Sqlite;

namespace Cluster.Tests.Coordinator.Journal;

/// <summary>Closing a test host's journal as a stop would, and reading the journal it left.</summary>
internal static class JournalTesting
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static async Task CloseAsync(CoordinatorTestHost host)
    {
        await host.Journal.FlushAsync(CancellationToken.None).WaitAsync(Bound);
        await host.Journal.DisposeAsync().AsTask().WaitAsync(Bound);
        host.Database.Dispose();
    }

    public static SqliteConnection OpenRead(string dataDir)
    {
        var connection = new SqliteConnection($"Data Source={new DataDirectory(dataDir).JournalPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Every journalled chunk output in merge order, packed rows unpacked.</summary>
    public static List<(long Chunk, byte[] Output)> ChunkOutputs(SqliteConnection db)
    {
        var outputs = new List<(long, byte[])>();
        foreach (var row in Rows(db, "SELECT chunk, output FROM chunk_outputs ORDER BY rowid"))
        {
            var (chunk, data) = ((long)row[0], (byte[])row[1]);
            if (chunk != ChunkOutputPack.Marker)
            {
                outputs.Add((chunk, data));
                continue;
            }

            for (var at = 0; at < data.Length;)
            {
                var length = BitConverter.ToInt32(data, at + 8);
                outputs.Add((BitConverter.ToInt64(data, at), data[(at + 12)..(at + 12 + length)]));
                at += 12 + length;
            }
        }

        return outputs;
    }

    public static object? Scalar(SqliteConnection db, string sql, string? id = null) => Rows(db, sql, id) is [var row, ..] ? row[0] : null;

    public static List<object[]> Rows(SqliteConnection db, string sql, string? id = null)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
