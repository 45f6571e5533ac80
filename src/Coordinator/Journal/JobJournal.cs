using System.Threading.Channels;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// Writes what happens to jobs into the journal without holding up the dispatch path: callers queue a record (a copy
/// of a chunk's output, an event, an outcome) and return; one writer drains the queue and commits everything queued so
/// far in one transaction (a group commit per batch, never a write per chunk), at most one per
/// <see cref="CoordinatorOptions.JournalCommitInterval"/>. Without a data directory every call is a no-op. See
/// <see cref="JournalWriter"/> for what each record does to the database.
/// </summary>
internal sealed partial class JobJournal : IAsyncDisposable
{
    private readonly Channel<JournalRecord>? _records;
    private readonly Task _writer = Task.CompletedTask;
    private readonly JournalWriter? _committer;

    public JobJournal(CoordinatorJournal journal, IOptions<CoordinatorOptions> options, TimeProvider time, ILogger<JobJournal> logger)
    {
        if (journal is not { Database: { } database, Directory: { } directory })
        {
            return;
        }

        Directory = directory;
        _records = Channel.CreateUnbounded<JournalRecord>(new UnboundedChannelOptions { SingleReader = true });
        var writer = new JournalWriter(database, directory, time, logger, (jobs, error) => CommitFailed?.Invoke(jobs, error))
        {
            CommitInterval = options.Value.JournalCommitInterval,
        };
        _committer = writer;
        _writer = Task.Run(() => writer.RunAsync(_records.Reader));
    }

    public bool IsEnabled => _records is not null;

    /// <summary>
    /// Raised on the writer's thread when a commit failed (a full disk): the ids of the jobs whose records it held, and
    /// the error. See <see cref="JournalFaults"/>.
    /// </summary>
    public event Action<IReadOnlyCollection<string>, string>? CommitFailed;

    /// <summary>The data directory, or null without a journal.</summary>
    public DataDirectory? Directory { get; }

    public void Accepted(Job job, JournalSpec spec) => Write(new JournalRecord.Accepted(job, spec));

    public void Started(Job job, DateTimeOffset at) => Write(new JournalRecord.Started(job.Id, at));

    public void Event(Job job, int sequence, string text) => Write(new JournalRecord.Event(job.Id, sequence, text));

    public void Merged(Job job, long chunk, ReadOnlySpan<byte> output)
    {
        if (_records is not null)
        {
            Write(new JournalRecord.Merged(job.Id, chunk, output.ToArray()));
        }
    }

    /// <summary>An attempt went into the job's attempt log (see <see cref="JournalRecord.Attempt"/>).</summary>
    public void Attempt(Job job, Attempts.AttemptRecord entry, bool kept)
    {
        if (_records is not null)
        {
            Write(new JournalRecord.Attempt(job.Id, entry, kept, JournalCounts.Of(job)));
        }
    }

    /// <summary>Start-up recovery: the job's row is <paramref name="seq"/>; records of an unfinished one go to it.</summary>
    public void Restored(string jobId, long seq, bool isFinal) => Write(new JournalRecord.Restored(jobId, seq, isFinal));

    public void Finished(Job job) => Write(new JournalRecord.Finished(job));

    public void Forgotten(Job job) => Write(new JournalRecord.Forgotten(job.Id));

    /// <summary>Completes when everything queued before the call is committed (at once without a journal).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_records is null)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Write(new JournalRecord.Flush(done));
        _committer?.Wake();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Commits what is queued and stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_records is not null && _records.Writer.TryComplete())
        {
            _committer?.Wake();
            await _writer.ConfigureAwait(false);
        }
    }

    private void Write(JournalRecord record) => _records?.Writer.TryWrite(record);
}
