using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Dashboard;
using Cluster.Coordinator.Diagnostics;
using Cluster.Coordinator.Dispatch;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.LocalReads;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Observability;
using Cluster.Coordinator.Scheduling;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;
using Cluster.Tests.Coordinator.Observability;
using Cluster.Tests.Hosting.Inputs;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator;

/// <summary>The coordinator's domain objects wired together in memory, with fake time and a test kind.</summary>
internal sealed class CoordinatorTestHost
{
    public CoordinatorTestHost(CoordinatorOptions? options = null, DashboardOptions? dashboard = null, IReadOnlyList<IJobKind>? moreKinds = null)
    {
        Options = options ?? new CoordinatorOptions();
        var wrapped = OptionsFactory.Create(Options);
        var dispatch = new DispatchLock();
        Dispatch = dispatch;
        Database = new CoordinatorJournal(wrapped, NullLogger<CoordinatorJournal>.Instance);
        Store = new JobStore(wrapped, Time);
        Stacks = new StackQuery(dispatch, Time, NullLogger<StackQuery>.Instance);
        Metrics = new ChunkMetrics(Meters);
        Health = new WorkerHealth(wrapped, Time, NullLogger<WorkerHealth>.Instance);
        var retries = new RetryPolicy(Health, wrapped, NullLogger<RetryPolicy>.Instance);
        var dashboardOptions = OptionsFactory.Create(dashboard ?? new DashboardOptions());
        Streams = new DashboardStreams(dashboardOptions);
        Timelines = new TimelineBook(Time, dashboardOptions, Streams);
        Recorder = new AttemptRecorder(Time, wrapped);
        Ledger = new AttemptLedger(dispatch, retries, Recorder, NullLogger<AttemptLedger>.Instance, Timelines);
        Scheduler = new Scheduler(dispatch, Ledger, new RetryPlacement(Health), new StragglerRule(wrapped, Time), Health, wrapped, Time);
        Finisher = new JobFinisher(dispatch, Scheduler, Ledger, Store, Time, NullLogger<JobFinisher>.Instance);
        Results = new ResultMerger(new ResultIntake(dispatch, Ledger, retries, Recorder, Store, Metrics, Database, NullLogger<ResultIntake>.Instance), Finisher, Scheduler);
        Departure = new WorkerDeparture(dispatch, Scheduler, Ledger, Finisher, NullLogger<WorkerDeparture>.Instance);
        Registry = new WorkerRegistry();
        Journal = new JobJournal(Database, wrapped, Time, NullLogger<JobJournal>.Instance);
        Spool = new InputSpool(Journal, wrapped);
        Probe = new LocalReadProbe(Spool, wrapped, NullLogger<LocalReadProbe>.Instance);
        Sessions = new SessionLifetime(Scheduler, Results, Departure, Registry, Probe, Time, NullLogger<SessionLifetime>.Instance);
        SendLoop = new SendLoop(Scheduler, new AssignmentWriter(Finisher, Metrics, Tracing), Database, Probe, wrapped);
        Kinds = new JobKindCatalog([new SquaresKind(), new BlocksKind(), .. moreKinds ?? []]);
        Bundles = new CoordinatorBundles(
            Microsoft.Extensions.Options.Options.Create(new BundleOptions { BundleDirectory = Path.Combine(Path.GetTempPath(), "cluster-bundles", "unit-tests-coordinator") }),
            Time,
            NullLogger<CoordinatorBundles>.Instance);
        Uploads = new ArrivingUploads(Scheduler, Finisher, NullLogger<ArrivingUploads>.Instance);
        Submitter = new JobSubmitter(Kinds, Bundles, Store, Scheduler, Journal, Uploads, Spool, TestHttpInput.Default, wrapped, Time, NullLogger<JobSubmitter>.Instance);
        Dashboard = new DashboardSnapshot(Registry, Health, Ledger, Store, Time, new LongChunks(dispatch, Time, dashboardOptions));
        new JournalFaults(Journal, Store, Finisher, NullLogger<JournalFaults>.Instance).Attach();
        Recovery = new JournalRecovery(Database, Journal, Kinds, Bundles, Store, Scheduler, Finisher, Time, NullLogger<JournalRecovery>.Instance);
    }

    public CoordinatorBundles Bundles { get; }

    /// <summary>The dashboard streams open: a test enters one to play a page watching.</summary>
    public DashboardStreams Streams { get; }

    /// <summary>The one dispatch lock of the host's books.</summary>
    public DispatchLock Dispatch { get; }

    /// <summary>Writes the jobs' attempt logs.</summary>
    public AttemptRecorder Recorder { get; }

    /// <summary>The attempt timelines the ledger records into.</summary>
    public TimelineBook Timelines { get; }

    /// <summary>What the dashboard shows, built from this host's books.</summary>
    public DashboardSnapshot Dashboard { get; }

    /// <summary>The journal's database: open when <see cref="CoordinatorOptions.DataDir"/> is set.</summary>
    public CoordinatorJournal Database { get; }

    public JobJournal Journal { get; }

    /// <summary>Where uploaded inputs are spooled.</summary>
    public InputSpool Spool { get; }

    /// <summary>The local-read probe join answers name.</summary>
    public LocalReadProbe Probe { get; }

    /// <summary>Restores the jobs of the journal, as the coordinator does at start-up.</summary>
    public JournalRecovery Recovery { get; }

    /// <summary>Creates the meters of the instruments under test; tests listen to them with a <c>MetricCollector</c>.</summary>
    public TestMeterFactory Meters { get; } = new();

    public ChunkMetrics Metrics { get; }

    public StackQuery Stacks { get; }

    public JobTracing Tracing { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public CoordinatorOptions Options { get; }

    public JobStore Store { get; }

    public Scheduler Scheduler { get; }

    public AttemptLedger Ledger { get; }

    public JobFinisher Finisher { get; }

    public ResultMerger Results { get; }

    public WorkerDeparture Departure { get; }

    public WorkerRegistry Registry { get; }

    public SessionLifetime Sessions { get; }

    public SendLoop SendLoop { get; }

    public WorkerHealth Health { get; }

    public JobKindCatalog Kinds { get; }

    public JobSubmitter Submitter { get; }

    /// <summary>Receives the inputs of jobs accepted with their declared length.</summary>
    public ArrivingUploads Uploads { get; }

    public WorkerSession AddWorker(string id, int threads)
    {
        var session = new WorkerSession(new WorkerJoin(id, "test", 1, threads), id + "-session", Time);
        Registry.Add(session);
        Scheduler.AddSession(session);
        return session;
    }

    public async Task<Job> SubmitSquaresAsync(long n, int maxAttempts = 0)
    {
        var submission = Squares(n) with { MaxAttempts = maxAttempts };
        return await Submitter.SubmitAsync(submission, AsyncEnumerable.Empty<ReadOnlyMemory<byte>>(), CancellationToken.None);
    }

    /// <summary>A submission of the squares kind with <paramref name="n"/> chunks.</summary>
    public static JobSubmission Squares(long n) =>
        new("squares", string.Empty, 0, 0, 0, new Dictionary<string, object?>(StringComparer.Ordinal) { ["n"] = n });

    /// <summary>What a worker would answer for an assignment of the squares kind.</summary>
    public static ChunkResult Success(Assignment a) => SuccessAfter(a, elapsedUs: 10);

    public static ChunkResult SuccessAfter(Assignment a, long elapsedUs) => new()
    {
        JobId = a.Job.Id,
        ChunkIndex = a.Chunk,
        Attempt = a.Attempt,
        Output = ByteString.CopyFrom(BitConverter.GetBytes(a.Chunk * a.Chunk)),
        ElapsedUs = elapsedUs,
    };

    public static ChunkResult Failure(Assignment a, string message) => new()
    {
        JobId = a.Job.Id,
        ChunkIndex = a.Chunk,
        Attempt = a.Attempt,
        Failure = new ChunkFailure { ExceptionType = "System.InvalidOperationException", Message = message, StackTrace = "at Test()" },
    };

    /// <summary>Runs a worker's session over fake streams, as the worker service would after a valid join.</summary>
    public Task RunSessionAsync(string workerId, int threads, FakeWorkerStream stream, CancellationToken cancellationToken = default) =>
        Sessions.RunAsync(new WorkerJoin(workerId, "test", 1, threads), WorkerMessages.ReadAsync(stream.Requests, CancellationToken.None), SendLoop.Over(stream.Responses), cancellationToken);

    public List<Assignment> Take(WorkerSession session)
    {
        var taken = new List<Assignment>();
        Scheduler.TakeWork(session, taken);
        return taken;
    }

    /// <summary>Applies the worker's answers as its session would: mapped from the protocol, then applied as one batch.</summary>
    public void Answer(WorkerSession session, params ChunkResult[] results) =>
        Results.Apply(session, results.Select(WorkerMessages.ToOutcome).ToArray());
}
