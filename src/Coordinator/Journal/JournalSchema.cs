namespace Cluster.Coordinator.Journal;

/// <summary>
/// The journal's schema as forward migrations: migration N (1-based) takes a journal from version N-1 to N. A journal
/// is migrated on open, each step in its own transaction together with its version; a journal of a higher version than
/// <see cref="Version"/> was written by a newer coordinator and is refused. Never edit a released step: add one.
/// </summary>
internal static class JournalSchema
{
    public static readonly string[] Migrations =
    [
        // 1: jobs as accepted (the spec to plan them again), their state and outcome; their events; the output of each
        // merged chunk, in merge order (rowid), kept until the job ends; the coordinator's epoch.
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('epoch', 0);
        CREATE TABLE jobs (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            spec TEXT NOT NULL,
            chunk_count INTEGER NOT NULL,
            input_bytes INTEGER NOT NULL,
            submitted_at INTEGER NOT NULL,
            state INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            error TEXT NOT NULL DEFAULT '',
            summary TEXT,
            content_type TEXT,
            result_bytes INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE job_events (
            job INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (job, n)) WITHOUT ROWID;
        CREATE TABLE chunk_outputs (
            job INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
            chunk INTEGER NOT NULL,
            output BLOB NOT NULL);
        CREATE INDEX chunk_outputs_job ON chunk_outputs (job);
        """,

        // 2: failed and lost attempts per chunk, so a restart keeps counting toward MaxAttempts and MaxWorkerLosses.
        """
        CREATE TABLE chunk_faults (
            job INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
            chunk INTEGER NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            losses INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (job, chunk)) WITHOUT ROWID;
        """,

        // 3: each job's attempt log (every attempt of a chunk that did not succeed at once, bounded per job, kept after
        // the job ends), the highest attempt number of each faulted chunk (its retry runs under the next one after a
        // restart), and the job's attempt counters.
        """
        CREATE TABLE chunk_attempts (
            job INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
            chunk INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            worker TEXT NOT NULL,
            started_at INTEGER,
            ended_at INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            error TEXT NOT NULL);
        CREATE INDEX chunk_attempts_job ON chunk_attempts (job);
        ALTER TABLE chunk_faults ADD COLUMN last_attempt INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN retried INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN lost INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN backups INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN resent INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN attempts_omitted INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>The version this coordinator writes.</summary>
    public static int Version => Migrations.Length;
}
