using System.Buffers;
using System.Threading.Channels;
using Cluster.Coordinator.Jobs;
using Microsoft.Data.Sqlite;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// The journal's one writer: takes every record queued since its last commit and applies them in one transaction.
/// Statements are prepared once and reused. A finished job's result is in its file (written whole, then renamed, by
/// <see cref="Merging.JobFinisher"/>) before the row that points at it is committed, and its chunk records are deleted
/// in the same transaction, so the journal of finished jobs holds one row each (compaction). A commit that fails (a full
/// disk, an I/O error) is rolled back whole and the jobs it touched are handed to <paramref name="commitFailed"/> (which
/// fails them, since their journal is no longer complete); the writer goes on with the next batch, so it recovers by
/// itself once space returns. With a <see cref="CommitInterval"/> it waits that long after each commit (a flush or the
/// journal's end cuts the wait short), so the next commit takes everything queued meanwhile.
/// </summary>
internal sealed partial class JournalWriter(
    JournalDatabase database,
    DataDirectory directory,
    TimeProvider time,
    ILogger logger,
    Action<IReadOnlyCollection<string>, string> commitFailed)
{
    private const int MaxBatch = 16384;
    private const int KeptEvents = 50;
    private readonly SqliteConnection _db = database.Connection;
    private readonly Dictionary<string, long> _seqs = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ArrayBufferWriter<byte>> _packs = [];
    private readonly List<(string Id, long? Seq)> _undo = [];
    private bool _compacted;
    private readonly SqliteCommand _insertJob = Prepare(database.Connection, "INSERT INTO jobs (id, spec, chunk_count, input_bytes, submitted_at, state) VALUES ($id, $spec, $chunks, $input, $at, 0) RETURNING seq;", "$id", "$spec", "$chunks", "$input", "$at");
    private readonly SqliteCommand _started = Prepare(database.Connection, "UPDATE jobs SET state = 1, started_at = $at WHERE seq = $job AND state = 0;", "$job", "$at");
    private readonly SqliteCommand _event = Prepare(database.Connection, "INSERT OR REPLACE INTO job_events (job, n, text) VALUES ($job, $n, $text);", "$job", "$n", "$text");
    private readonly SqliteCommand _trimEvents = Prepare(database.Connection, "DELETE FROM job_events WHERE job = $job AND n <= $n;", "$job", "$n");
    private readonly SqliteCommand _merged = Prepare(database.Connection, "INSERT INTO chunk_outputs (job, chunk, output) VALUES ($job, $chunk, $output);", "$job", "$chunk", "$output");
    private readonly SqliteCommand _finished = Prepare(database.Connection, "UPDATE jobs SET state = $state, started_at = $started, finished_at = $at, error = $error, summary = $summary, content_type = $type, result_bytes = $bytes WHERE seq = $job;", "$job", "$state", "$started", "$at", "$error", "$summary", "$type", "$bytes");
    private readonly SqliteCommand _compactOutputs = Prepare(database.Connection, "DELETE FROM chunk_outputs WHERE job = $job;", "$job");
    private readonly SqliteCommand _compactFaults = Prepare(database.Connection, "DELETE FROM chunk_faults WHERE job = $job;", "$job");
    private readonly SqliteCommand _attempt = Prepare(database.Connection, "INSERT INTO chunk_attempts (job, chunk, attempt, worker, started_at, ended_at, outcome, error) VALUES ($job, $chunk, $attempt, $worker, $started, $ended, $outcome, $error);", "$job", "$chunk", "$attempt", "$worker", "$started", "$ended", "$outcome", "$error");
    private readonly SqliteCommand _fault = Prepare(database.Connection, "INSERT INTO chunk_faults (job, chunk, failures, losses, last_attempt) VALUES ($job, $chunk, $failures, $losses, $attempt) ON CONFLICT (job, chunk) DO UPDATE SET failures = failures + excluded.failures, losses = losses + excluded.losses, last_attempt = max(last_attempt, excluded.last_attempt);", "$job", "$chunk", "$failures", "$losses", "$attempt");
    private readonly SqliteCommand _counts = Prepare(database.Connection, "UPDATE jobs SET retried = $retried, stale = $stale, failed = $failed, lost = $lost, backups = $backups, resent = $resent, attempts_omitted = $omitted WHERE seq = $job;", "$job", "$retried", "$stale", "$failed", "$lost", "$backups", "$resent", "$omitted");
    private readonly SqliteCommand _seqOf = Prepare(database.Connection, "SELECT seq FROM jobs WHERE id = $id;", "$id");
    private readonly SqliteCommand _vacuum = Prepare(database.Connection, "PRAGMA incremental_vacuum;");
    private readonly SqliteCommand _forget = Prepare(database.Connection, "DELETE FROM jobs WHERE id = $id;", "$id");

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Job ids the journal holds a row for, with their row numbers (filled by start-up recovery).</summary>
    public IDictionary<string, long> Seqs => _seqs;

    /// <summary>Least time between two commits; zero commits as soon as the last one ended and anything is queued.</summary>
    public TimeSpan CommitInterval { get; init; }

    /// <summary>Ends the wait between commits now: a flush was asked for, or the queue was completed.</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    public async Task RunAsync(ChannelReader<JournalRecord> reader)
    {
        var batch = new List<JournalRecord>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // A new wake for each round, before its records are read: a flush queued from here on ends the wait below.
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            var started = time.GetTimestamp();
            List<string>? removedResults = null;
            try
            {
                lock (database.Gate)
                {
                    removedResults = Commit(batch);
                    if (_compacted)
                    {
                        Vacuum();
                    }
                }
                if (logger.IsEnabled(LogLevel.Trace))
                {
                    var milliseconds = time.GetElapsedTime(started).TotalMilliseconds;
                    LogCommitted(logger, batch.Count, milliseconds);
                }
            }
            catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                LogCommitFailed(logger, batch.Count, ex.Message);
                Undo();
                commitFailed(JobsOf(batch), ex.Message);
            }

            foreach (var path in removedResults ?? [])
            {
                File.Delete(path);
            }

            foreach (var record in batch)
            {
                (record as JournalRecord.Flush)?.Done.TrySetResult();
            }

            if (CommitInterval > TimeSpan.Zero && batch.Count < MaxBatch)
            {
                await WaitOutIntervalAsync(wake.Task).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitOutIntervalAsync(Task wake)
    {
        using var stop = new CancellationTokenSource();
        var delay = Task.Delay(CommitInterval, time, stop.Token);
        await Task.WhenAny(delay, wake).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
    }

    private List<string>? Commit(List<JournalRecord> batch)
    {
        _undo.Clear();
        _compacted = false;
        List<string>? removedResults = null;
        using var transaction = _db.BeginTransaction();
        foreach (var record in batch)
        {
            switch (record)
            {
                case JournalRecord.Accepted a:
                    _seqs[a.Job.Id] = (long)Scalar(_insertJob, transaction, a.Job.Id, a.Spec.ToJson(), a.Job.ChunkCount, a.Job.InputBytes, a.Job.SubmittedAt.ToUnixTimeMilliseconds())!;
                    _undo.Add((a.Job.Id, null));
                    break;
                case JournalRecord.Restored r when !r.IsFinal:
                    _seqs[r.JobId] = r.Seq;
                    break;
                case JournalRecord.Started s when _seqs.TryGetValue(s.JobId, out var seq):
                    Run(_started, transaction, seq, s.At.ToUnixTimeMilliseconds());
                    break;
                case JournalRecord.Event e when _seqs.TryGetValue(e.JobId, out var seq):
                    Run(_event, transaction, seq, e.Sequence, e.Text);
                    Run(_trimEvents, transaction, seq, e.Sequence - KeptEvents);
                    break;
                case JournalRecord.Merged m when _seqs.TryGetValue(m.JobId, out var seq):
                    Pack(seq, m, transaction);
                    break;
                case JournalRecord.Attempt a:
                    Attempt(a, transaction);
                    break;
                case JournalRecord.Finished f when _seqs.Remove(f.Job.Id, out var seq):
                    _undo.Add((f.Job.Id, seq));
                    _packs.Remove(seq);
                    _compacted = true;
                    Finish(f.Job, seq, transaction);
                    break;
                case JournalRecord.Forgotten f:
                    Run(_forget, transaction, f.JobId);
                    _compacted = true;
                    (removedResults ??= []).Add(directory.ResultFile(f.JobId));
                    break;
            }
        }

        foreach (var (seq, pack) in _packs)
        {
            Run(_merged, transaction, seq, ChunkOutputPack.Marker, pack.WrittenSpan.ToArray());
        }

        _packs.Clear();
        transaction.Commit();
        return removedResults;
    }

    /// <summary>
    /// Gives the pages that compaction freed back to the file system (a journal created with incremental auto-vacuum),
    /// so the file shrinks as finished jobs leave it. A failure only costs the space: it is logged.
    /// </summary>
    private void Vacuum()
    {
        try
        {
            _vacuum.Transaction = null;
            _vacuum.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            LogVacuumFailed(logger, ex.Message);
        }
    }

    /// <summary>After a rolled-back commit: the row numbers as they were before it, and no pack half written.</summary>
    private void Undo()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (id, seq) = _undo[i];
            if (seq is { } kept)
            {
                _seqs[id] = kept;
            }
            else
            {
                _seqs.Remove(id);
            }
        }

        _undo.Clear();
        _packs.Clear();
    }

    /// <summary>The jobs a batch changes: those whose journal a failed commit leaves incomplete.</summary>
    private static HashSet<string> JobsOf(List<JournalRecord> batch)
    {
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in batch)
        {
            var id = record switch
            {
                JournalRecord.Accepted a => a.Job.Id,
                JournalRecord.Started s => s.JobId,
                JournalRecord.Event e => e.JobId,
                JournalRecord.Merged m => m.JobId,
                JournalRecord.Attempt a => a.JobId,
                JournalRecord.Finished f => f.Job.Id,
                _ => null,
            };
            if (id is not null)
            {
                jobs.Add(id);
            }
        }

        return jobs;
    }

    /// <summary>
    /// Adds a merged chunk's output to its job's pack: one row per job per commit (<see cref="ChunkOutputPack"/>), not
    /// one per chunk, so tiny chunks cost the journal a few bytes each and start-up reads a few rows per thousand chunks.
    /// </summary>
    private void Pack(long seq, JournalRecord.Merged merged, SqliteTransaction transaction)
    {
        if (!_packs.TryGetValue(seq, out var pack))
        {
            _packs[seq] = pack = new ArrayBufferWriter<byte>(4096);
        }

        ChunkOutputPack.Append(pack, merged.Chunk, merged.Output);
        if (pack.WrittenCount >= ChunkOutputPack.MaxBytes)
        {
            Run(_merged, transaction, seq, ChunkOutputPack.Marker, pack.WrittenSpan.ToArray());
            _packs.Remove(seq);
        }
    }

    /// <summary>
    /// An attempt log entry: its row (when within the job's bound), its fault toward the chunk's limits (while the job
    /// runs: a finished job's faults are compacted), and the job's counters. An attempt cancelled with its job comes
    /// after the job's final record, so a job no longer running is found by its id; a forgotten one is skipped.
    /// </summary>
    private void Attempt(JournalRecord.Attempt record, SqliteTransaction transaction)
    {
        var running = _seqs.TryGetValue(record.JobId, out var seq);
        if (!running)
        {
            if (Scalar(_seqOf, transaction, record.JobId) is not long finished)
            {
                return;
            }

            seq = finished;
        }

        var e = record.Entry;
        if (record.Kept)
        {
            Run(_attempt, transaction, seq, e.Chunk, e.Attempt, e.WorkerId, e.StartedAt?.ToUnixTimeMilliseconds(), e.EndedAt.ToUnixTimeMilliseconds(), (int)e.Outcome, e.Error);
        }

        if (running && e.Outcome is Attempts.AttemptOutcome.Failed or Attempts.AttemptOutcome.Lost)
        {
            var failed = e.Outcome == Attempts.AttemptOutcome.Failed ? 1 : 0;
            Run(_fault, transaction, seq, e.Chunk, failed, 1 - failed, e.Attempt);
        }

        WriteCounts(seq, record.Counts, transaction);
    }

    private void WriteCounts(long seq, JournalCounts c, SqliteTransaction transaction) =>
        Run(_counts, transaction, seq, c.Retried, c.Stale, c.Failed, c.Lost, c.Backups, c.Resent, c.Omitted);

    private void Finish(Job job, long seq, SqliteTransaction transaction)
    {
        // The result's data is in its file already (JobFinisher wrote it before the job was final); the row names it.
        var output = job.Output;
        Run(
            _finished,
            transaction,
            seq,
            (int)job.State,
            job.StartedAt?.ToUnixTimeMilliseconds(),
            job.FinishedAt?.ToUnixTimeMilliseconds(),
            job.Error,
            output?.SummaryJson,
            output?.ContentType,
            job.ResultBytes);
        WriteCounts(seq, JournalCounts.Of(job), transaction);
        Run(_compactOutputs, transaction, seq);
        Run(_compactFaults, transaction, seq);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Run(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        Bind(command, transaction, values);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        Bind(command, transaction, values);
        return command.ExecuteScalar();
    }

    private static void Bind(SqliteCommand command, SqliteTransaction transaction, object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Trace, Message = "Journal: {Records} records committed in {Milliseconds:F1} ms")]
    private static partial void LogCommitted(ILogger logger, int records, double milliseconds);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Journal: freeing the pages of compacted jobs failed; the file keeps them for reuse: {Error}")]
    private static partial void LogVacuumFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Journal: a commit of {Records} records failed and was rolled back; the unfinished jobs it touched fail: {Error}")]
    private static partial void LogCommitFailed(ILogger logger, int records, string error);
}
