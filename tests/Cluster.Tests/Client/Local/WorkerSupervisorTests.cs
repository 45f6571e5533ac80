using System.Collections.Concurrent;
using System.Threading.Channels;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Tests.Fakes;
using Grpc.Core;

namespace Cluster.Tests.Client.Local;

public sealed class WorkerSupervisorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task WorkerExits_RestartOn_ReportsTheExitThenStartsItAgainAfterTheBackoff()
    {
        var harness = new Harness(restart: true);
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisor = harness.Supervise(first);

        first.Exit(137);

        Assert.Equal(new Report("local-1", 41, 137, "killed by signal 9 (SIGKILL: killed, perhaps by the out-of-memory killer)"), await harness.NextReportAsync());
        await harness.Time.WaitForTimerAsync(Bound);
        Assert.Empty(harness.Restarted);
        harness.Time.Advance(MaxRestartDelay);
        var second = await harness.NextRestartAsync();

        second.Exit(1);

        Assert.Equal(new Report("local-1", second.Pid, 1, "exited with code 1"), await harness.NextReportAsync());
        await harness.Time.WaitForTimerAsync(Bound);
        harness.Time.Advance(MaxRestartDelay);
        await harness.NextRestartAsync();
        Assert.Contains(harness.Log, l => l.StartsWith("[supervisor] restarting worker local-1 in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkerExits_RestartOff_ReportsOnceAndStartsNothing()
    {
        var harness = new Harness(restart: false);
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisor = harness.Supervise(first);

        first.Exit(0);

        Assert.Equal(new Report("local-1", 41, 0, "exited with code 0"), await harness.NextReportAsync());
        await supervisor.Completion.WaitAsync(Bound);
        harness.Time.Advance(MaxRestartDelay * 2);
        Assert.Empty(harness.Restarted);
    }

    [Fact]
    public async Task Stop_BeforeTheWorkerExits_EndsAndReportsNothing()
    {
        var harness = new Harness(restart: true);
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisor = harness.Supervise(first);

        supervisor.Stop();
        await supervisor.Completion.WaitAsync(Bound);
        first.Exit(143);

        Assert.Empty(harness.Reports);
        Assert.Empty(harness.Restarted);
    }

    [Fact]
    public async Task Stop_DuringTheBackoff_StartsNothingAfterwards()
    {
        var harness = new Harness(restart: true);
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisor = harness.Supervise(first);
        first.Exit(137);
        await harness.NextReportAsync();
        await harness.Time.WaitForTimerAsync(Bound);

        supervisor.Stop();
        await supervisor.Completion.WaitAsync(Bound);
        harness.Time.Advance(MaxRestartDelay * 2);

        Assert.Empty(harness.Restarted);
    }

    [Fact]
    public async Task ReportFails_RestartOn_LogsItAndStillRestarts()
    {
        var harness = new Harness(restart: true, reportFailure: new ClusterException("Cannot reach the coordinator.", StatusCode.Unavailable));
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisor = harness.Supervise(first);

        first.Exit(134);
        await harness.NextReportAsync();
        await harness.Time.WaitForTimerAsync(Bound);
        harness.Time.Advance(MaxRestartDelay);

        await harness.NextRestartAsync();
        Assert.Contains("[supervisor] could not report the exit of worker local-1: Cannot reach the coordinator.", harness.Log);
    }

    [Fact]
    public async Task RestartFails_LogsItAndEndsWithoutFaulting()
    {
        var harness = new Harness(restart: true, restartFailure: new LocalClusterException("Cannot start the worker local-1 ('nope'): no such file."));
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisor = harness.Supervise(first);

        first.Exit(137);
        await harness.NextReportAsync();
        await harness.Time.WaitForTimerAsync(Bound);
        harness.Time.Advance(MaxRestartDelay);

        await supervisor.Completion.WaitAsync(Bound);
        Assert.Contains("[supervisor] cannot restart worker local-1: Cannot start the worker local-1 ('nope'): no such file.", harness.Log);
    }

    [Fact]
    public async Task WorkerSupervisors_AddedAfterStop_IsStoppedAtOnce()
    {
        var harness = new Harness(restart: true);
        var first = new FakeWorkerProcess(pid: 41);
        using var supervisors = new WorkerSupervisors();
        supervisors.Stop();

        var late = harness.Supervise(first);
        supervisors.Add(late);

        await late.Completion.WaitAsync(Bound);
        first.Exit(137);
        Assert.Empty(harness.Reports);
        Assert.Empty(harness.Restarted);
    }

    [Fact]
    public async Task WorkerSupervisors_StopAsync_EndsEverySupervisorWithinTheTimeout()
    {
        var harness = new Harness(restart: true);
        using var supervisors = new WorkerSupervisors();
        var all = new[] { harness.Supervise(new FakeWorkerProcess(pid: 41)), harness.Supervise(new FakeWorkerProcess(pid: 42)) };
        foreach (var supervisor in all)
        {
            supervisors.Add(supervisor);
        }

        await supervisors.StopAsync(TimeSpan.FromSeconds(5), harness.Time).WaitAsync(Bound);

        Assert.All(all, s => Assert.True(s.Completion.IsCompletedSuccessfully));
    }

    private sealed record Report(string WorkerId, int Pid, int ExitCode, string Description);

    /// <summary>Fake time, a reporter and a restarter that record what the supervisor asks of them.</summary>
    private sealed class Harness(bool restart, ClusterException? reportFailure = null, LocalClusterException? restartFailure = null)
    {
        private readonly Channel<Report> _reports = Channel.CreateUnbounded<Report>();
        private readonly Channel<FakeWorkerProcess> _restarts = Channel.CreateUnbounded<FakeWorkerProcess>();
        private readonly ConcurrentQueue<Report> _reported = new();
        private readonly ConcurrentQueue<FakeWorkerProcess> _restarted = new();
        private readonly ConcurrentQueue<string> _log = new();

        public SignallingTimeProvider Time { get; } = new();

        public IReadOnlyCollection<Report> Reports => _reported;

        public IReadOnlyCollection<FakeWorkerProcess> Restarted => _restarted;

        public IReadOnlyCollection<string> Log => _log;

        public WorkerSupervisor Supervise(FakeWorkerProcess first)
        {
            var options = new LocalClusterOptions
            {
                CoordinatorCommand = new ProcessCommand("coordinator", []),
                WorkerCommand = new ProcessCommand("worker", []),
                RestartWorkers = restart,
                RestartDelay = TimeSpan.FromMilliseconds(200),
                MaxRestartDelay = MaxRestartDelay,
                TimeProvider = Time,
                Log = _log.Enqueue,
            };
            return WorkerSupervisor.Start("local-1", first, Restart, ReportAsync, options);
        }

        public async Task<Report> NextReportAsync() => await _reports.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        public async Task<FakeWorkerProcess> NextRestartAsync() => await _restarts.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        private FakeWorkerProcess Restart()
        {
            if (restartFailure is not null)
            {
                throw restartFailure;
            }

            var process = new FakeWorkerProcess(pid: 100 + _restarted.Count);
            _restarted.Enqueue(process);
            _restarts.Writer.TryWrite(process);
            return process;
        }

        private Task ReportAsync(string workerId, int pid, int exitCode, string description, CancellationToken cancellationToken)
        {
            var report = new Report(workerId, pid, exitCode, description);
            _reported.Enqueue(report);
            _reports.Writer.TryWrite(report);
            return reportFailure is null ? Task.CompletedTask : Task.FromException(reportFailure);
        }
    }
}
