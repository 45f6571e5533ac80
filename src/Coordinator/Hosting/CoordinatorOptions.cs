namespace Cluster.Coordinator.Hosting;

/// <summary>Coordinator settings, bound from the <c>Coordinator</c> configuration section (appsettings, CLUSTER_ environment variables, command line).</summary>
public sealed class CoordinatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Coordinator";

    /// <summary>
    /// The settings as configured, for the few that shape service registration itself (before options can be resolved);
    /// everything else takes them validated, through <c>IOptions</c>.
    /// </summary>
    internal static CoordinatorOptions Bind(IConfiguration configuration) => configuration.GetSection(Section).Get<CoordinatorOptions>() ?? new();

    /// <summary>Address to listen on. Default <c>127.0.0.1</c> (loopback only); use <c>0.0.0.0</c> to accept remote workers.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one. Default 7400.</summary>
    public int Port { get; set; } = 7400;

    /// <summary>
    /// HTTP port for <c>/metrics</c> (Prometheus) on the same address as <see cref="Port"/>, with the same tokens (client
    /// role) and TLS; 0 picks a free one, -1 turns it off. Default 7401.
    /// </summary>
    public int HttpPort { get; set; } = 7401;

    /// <summary>Extra job-kind assemblies, comma-separated paths. Default none.</summary>
    public string Jobs { get; set; } = string.Empty;

    /// <summary>Interval at which workers must send heartbeats. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which a worker is declared gone and its chunks run elsewhere. Default 5 s.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per chunk before its job fails, when the job does not say. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Attempts kept per job in its attempt log (<c>cluster status JOB --attempts</c>): every attempt of every chunk that
    /// did not succeed at once. The first ones are kept; past the limit attempts are only counted. Journalled with the
    /// job. Default 1000.
    /// </summary>
    public int AttemptLogLimit { get; set; } = 1000;

    /// <summary>Times a chunk may be lost with a worker that died or went silent while running it, before its job fails (a chunk that crashes its worker). Default 3.</summary>
    public int MaxWorkerLosses { get; set; } = 3;

    /// <summary>Launch backup attempts for straggling chunks near the end of a job (kinds may opt out). Default on.</summary>
    public bool BackupAttempts { get; set; } = true;

    /// <summary>A chunk straggles once it has run this many times the job's median chunk time (beyond one queued chunk's wait). Default 1.5.</summary>
    public double BackupAfterMedians { get; set; } = 1.5;

    /// <summary>No chunk gets a backup attempt before it has run this long, whatever the median: backups are for long chunks. Default 200 ms.</summary>
    public TimeSpan BackupMinimumRunTime { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failed chunks that then succeed elsewhere, within <see cref="QuarantineWindow"/>, that quarantine a worker. Default 3.</summary>
    public int QuarantineAfterFailures { get; set; } = 3;

    /// <summary>Window in which <see cref="QuarantineAfterFailures"/> are counted. Default 5 minutes.</summary>
    public TimeSpan QuarantineWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a quarantined worker gets no work. Default 30 s.</summary>
    public TimeSpan QuarantineDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Chunks the coordinator suggests per worker thread when a job does not ask for a count. Default 4.</summary>
    public int DefaultChunksPerThread { get; set; } = 4;

    /// <summary>Most chunks a job may have. Default 10,000,000.</summary>
    public long MaxChunksPerJob { get; set; } = 10_000_000;

    /// <summary>Most input bytes a job may upload. Default 64 GiB.</summary>
    public long MaxInputBytes { get; set; } = 64L << 30;

    /// <summary>
    /// Data directory (<c>--data-dir</c>): the journal of accepted jobs (<c>journal.db</c>, SQLite in WAL mode), their
    /// inputs and the results of finished ones, so jobs survive a restart of the coordinator. Created with mode 0700.
    /// Default empty: no journal, jobs live in memory only and inputs are spooled to <see cref="SpoolDirectory"/>.
    /// </summary>
    public string DataDir { get; set; } = string.Empty;

    /// <summary>
    /// Least time between two group commits of the journal (with <see cref="DataDir"/>): what is merged meanwhile goes
    /// in the next commit, so a kill loses at most this much merged work (plus the commit under way), which then runs
    /// again. Default 0: a commit starts as soon as the last one ended and anything is queued, a few milliseconds
    /// apart under load. A longer interval batches more per commit, for disks where each write is dear (network
    /// storage). At most 1 minute.
    /// </summary>
    public TimeSpan JournalCommitInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Folder for uploaded inputs when there is no <see cref="DataDir"/>. Default: a <c>cluster-coordinator-PID</c> folder in the system temp folder.</summary>
    public string SpoolDirectory { get; set; } = string.Empty;

    /// <summary>Finished jobs kept for status and result queries; the oldest are forgotten first. Default 1000.</summary>
    public int RetainedJobs { get; set; } = 1000;

    /// <summary>
    /// Finished jobs older than this (since they finished) are forgotten, with their result file; checked when a job
    /// finishes, at start-up and once a minute. Default 7 days.
    /// </summary>
    public TimeSpan RetentionAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Most bytes of results kept for finished jobs, in total (in the data directory, or in memory without one); past it
    /// the oldest finished jobs are forgotten first. The newest finished job is always kept. Default 10 GiB.
    /// </summary>
    public long RetentionBytes { get; set; } = 10L << 30;

    /// <summary>
    /// Fewest assignments in flight per worker thread: the depth for chunks that take long, and for a job's first
    /// chunks, before their time is known. Default 2.
    /// </summary>
    public int InFlightPerThread { get; set; } = 2;

    /// <summary>Most assignments in flight per worker thread, reached by the tiniest chunks. Default 256.</summary>
    public int InFlightPerThreadForTinyChunks { get; set; } = 256;

    /// <summary>
    /// Work kept queued ahead of each worker thread, in the job's mean chunk time: a job's depth is this over its mean
    /// chunk time, between <see cref="InFlightPerThread"/> and <see cref="InFlightPerThreadForTinyChunks"/>. Deep enough
    /// that a thread never waits a round trip for its next chunk, shallow enough that little work sits on one worker
    /// when others could take it (or when it dies). Default 5 ms.
    /// </summary>
    public TimeSpan QueuedWorkPerThread { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Interval between progress events of a watched job. Default 250 ms.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Smallest block of memory Kestrel's connections read the socket into and build their pipes from. Larger blocks
    /// take an upload in fewer socket reads (Kestrel's own pool gives 4 KiB blocks); each connection holds one while it
    /// reads or writes. 0 keeps Kestrel's own pool. Default 16 KiB.
    /// </summary>
    public int TransportBlockBytes { get; set; } = 16 << 10;

    /// <summary>Largest gRPC message accepted or sent (an input piece, a chunk payload). Default 64 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 64 << 20;

    /// <summary>
    /// Every worker runs on this machine and reads its files at the same paths (set by <c>cluster local</c> and the
    /// embedded cluster): ListKinds says so, and a client on this machine then names its input file by
    /// <c>file:///</c> URL instead of uploading it. Default false.
    /// </summary>
    public bool WorkersShareFiles { get; set; }

    /// <summary>
    /// Local reads of the input spool: a worker that proves it reads this coordinator's files (it shares the machine and
    /// the user) is sent each uploaded chunk as a range of the spool file, which it reads itself, instead of the chunk's
    /// bytes (see JoinAccepted.local_probe_path). Workers that cannot, and every retry after a failure, get the bytes.
    /// Default true; false sends every worker the bytes.
    /// </summary>
    public bool LocalReads { get; set; } = true;
}
