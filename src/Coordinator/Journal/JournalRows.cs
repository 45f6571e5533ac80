using Cluster.Coordinator.Jobs;
using Microsoft.Data.Sqlite;

namespace Cluster.Coordinator.Journal;

/// <summary>Reads of the journal at start-up: job rows, their recent events, and the merged outputs to replay.</summary>
internal static class JournalRows
{
    public sealed record JobRow(
        long Seq,
        string Id,
        JournalSpec Spec,
        long ChunkCount,
        long InputBytes,
        DateTimeOffset SubmittedAt,
        JobState State,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        string Error,
        string? Summary,
        string? ContentType,
        long ResultBytes)
    {
        public bool IsFinal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
    }

    public static List<JobRow> ReadJobs(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, id, spec, chunk_count, input_bytes, submitted_at, state, started_at, finished_at, error, summary, content_type, result_bytes FROM jobs ORDER BY seq;";
        using var reader = command.ExecuteReader();
        var rows = new List<JobRow>();
        while (reader.Read())
        {
            rows.Add(new JobRow(
                reader.GetInt64(0),
                reader.GetString(1),
                JournalSpec.FromJson(reader.GetString(2)),
                reader.GetInt64(3),
                reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                (JobState)reader.GetInt32(6),
                Time(reader, 7),
                Time(reader, 8),
                reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetInt64(12)));
        }

        return rows;
    }

    public static List<(int Sequence, string Text)> ReadEvents(SqliteConnection connection, long seq)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT n, text FROM job_events WHERE job = $job ORDER BY n;";
        command.Parameters.AddWithValue("$job", seq);
        using var reader = command.ExecuteReader();
        var events = new List<(int, string)>();
        while (reader.Read())
        {
            events.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return events;
    }

    /// <summary>Merges the journalled outputs into <paramref name="job"/> in their first merge order; returns how many chunks they complete.</summary>
    public static long ReplayOutputs(SqliteConnection connection, long seq, Job job)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT chunk, output FROM chunk_outputs WHERE job = $job ORDER BY rowid;";
        command.Parameters.AddWithValue("$job", seq);
        using var reader = command.ExecuteReader();
        var buffer = new byte[256];
        while (reader.Read())
        {
            var chunk = reader.GetInt64(0);
            var length = (int)reader.GetBytes(1, 0, null, 0, 0);
            if (buffer.Length < length)
            {
                buffer = new byte[Math.Max(length, buffer.Length * 2)];
            }

            reader.GetBytes(1, 0, buffer, 0, length);
            job.Replay(chunk, buffer.AsSpan(0, length));
        }

        return job.ChunksDone;
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
