using Cluster.Coordinator.Attempts;
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
        long ResultBytes,
        JournalCounts Counts)
    {
        public bool IsFinal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
    }

    public static List<JobRow> ReadJobs(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, id, spec, chunk_count, input_bytes, submitted_at, state, started_at, finished_at, error, summary, content_type, result_bytes, retried, stale, failed, lost, backups, resent, attempts_omitted FROM jobs ORDER BY seq;";
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
                reader.GetInt64(12),
                new JournalCounts(reader.GetInt64(13), reader.GetInt64(14), reader.GetInt64(15), reader.GetInt64(16), reader.GetInt64(17), reader.GetInt64(18), reader.GetInt64(19))));
        }

        return rows;
    }

    /// <summary>Every job's attempt log, in the order its attempts ended, by job row, in one pass.</summary>
    public static Dictionary<long, List<AttemptRecord>> ReadAttempts(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job, chunk, attempt, worker, started_at, ended_at, outcome, error FROM chunk_attempts ORDER BY job, rowid;";
        using var reader = command.ExecuteReader();
        var attempts = new Dictionary<long, List<AttemptRecord>>();
        while (reader.Read())
        {
            var job = reader.GetInt64(0);
            if (!attempts.TryGetValue(job, out var list))
            {
                attempts[job] = list = [];
            }

            list.Add(new AttemptRecord(
                reader.GetInt64(1),
                reader.GetInt32(2),
                reader.GetString(3),
                Time(reader, 4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                (AttemptOutcome)reader.GetInt32(6),
                reader.GetString(7)));
        }

        return attempts;
    }

    /// <summary>Failures and losses per chunk of unfinished jobs, with each chunk's highest attempt, by job row.</summary>
    public static Dictionary<long, List<ChunkFaults>> ReadFaults(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job, chunk, failures, losses, last_attempt FROM chunk_faults ORDER BY job, chunk;";
        using var reader = command.ExecuteReader();
        var faults = new Dictionary<long, List<ChunkFaults>>();
        while (reader.Read())
        {
            var job = reader.GetInt64(0);
            if (!faults.TryGetValue(job, out var list))
            {
                faults[job] = list = [];
            }

            list.Add(new ChunkFaults(reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return faults;
    }

    /// <summary>A chunk's journalled failures and losses and the highest attempt number it had.</summary>
    public readonly record struct ChunkFaults(long Chunk, int Failures, int Losses, int LastAttempt);

    /// <summary>Every job's kept events, oldest first, by job row, in one pass.</summary>
    public static Dictionary<long, List<(int Sequence, string Text)>> ReadEvents(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job, n, text FROM job_events ORDER BY job, n;";
        using var reader = command.ExecuteReader();
        var events = new Dictionary<long, List<(int, string)>>();
        while (reader.Read())
        {
            var job = reader.GetInt64(0);
            if (!events.TryGetValue(job, out var list))
            {
                events[job] = list = [];
            }

            list.Add((reader.GetInt32(1), reader.GetString(2)));
        }

        return events;
    }

    /// <summary>
    /// Merges every journalled output into its job (by job row) in first merge order, in one scan of the table (packed rows
    /// of many outputs, see <see cref="ChunkOutputPack"/>, and single ones); rows of jobs not in <paramref name="jobs"/>
    /// (which failed to come back) are skipped.
    /// </summary>
    public static void ReplayOutputs(SqliteConnection connection, IReadOnlyDictionary<long, Job> jobs)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job, chunk, output FROM chunk_outputs NOT INDEXED ORDER BY rowid;";
        using var reader = command.ExecuteReader();
        var buffer = new byte[256];
        Job? job = null;
        long seq = -1;
        while (reader.Read())
        {
            var rowJob = reader.GetInt64(0);
            if (rowJob != seq)
            {
                seq = rowJob;
                job = jobs.GetValueOrDefault(seq);
            }

            if (job is null)
            {
                continue;
            }

            var length = (int)reader.GetBytes(2, 0, null, 0, 0);
            if (buffer.Length < length)
            {
                buffer = new byte[Math.Max(length, buffer.Length * 2)];
            }

            reader.GetBytes(2, 0, buffer, 0, length);
            var chunk = reader.GetInt64(1);
            if (chunk == ChunkOutputPack.Marker)
            {
                ChunkOutputPack.Replay(buffer.AsSpan(0, length), job);
            }
            else
            {
                job.Replay(chunk, buffer.AsSpan(0, length));
            }
        }
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
