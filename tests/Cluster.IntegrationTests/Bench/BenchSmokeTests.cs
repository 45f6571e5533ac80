using System.Diagnostics;
using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Bench;

/// <summary>Runs the built <c>cluster-bench all --quick</c>, <c>security --quick</c>, <c>swarm --quick</c>, <c>cold --quick</c>, <c>observe --quick</c>, <c>upload --quick</c>, <c>byref --quick</c> and <c>durability --quick</c> end to end and checks the JSON reports they write.</summary>
/// <remarks>A minute of benchmarks: left out of a plain <c>dotnet test</c> (tests/default.runsettings), run once by .ci/run.</remarks>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Bench")]
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] Workloads = ["dispatch", "memory", "latency", "cpu", "data", "failure", "startup", "typed"];

    [Fact]
    public async Task AllQuick_MeasuresEveryWorkload_ReportsPositiveMedians()
    {
        var report = Path.Combine(Path.GetTempPath(), $"cluster-bench-{Guid.NewGuid():N}.json");
        try
        {
            var exitCode = await RunBenchAsync(["all", "--quick", "--out", report]);

            Assert.Equal(0, exitCode);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            var root = json.RootElement;
            Assert.True(root.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
            Assert.Empty(root.GetProperty("failures").EnumerateArray());
            var figures = root.GetProperty("figures").EnumerateArray().ToList();
            foreach (var workload in Workloads)
            {
                Assert.Contains(figures, f => f.GetProperty("workload").GetString() == workload);
            }

            foreach (var figure in figures)
            {
                var id = figure.GetProperty("id").GetString();
                var median = figure.GetProperty("median").GetDouble();
                Assert.True(double.IsFinite(median), $"{id}: median {median}");
                Assert.InRange(median, figure.GetProperty("min").GetDouble(), figure.GetProperty("max").GetDouble());
                Assert.True(figure.GetProperty("signed").GetBoolean() || median > 0, $"{id}: median {median} is not positive");
                Assert.Equal(1, figure.GetProperty("runs").GetInt32());
            }
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task SecurityQuick_EveryVariantMeasured_RatiosToOpenReported()
    {
        var medians = await RunQuickAsync("security");

        foreach (var variant in new[] { "open", "tokens", "tls", "mtls" })
        {
            Assert.True(medians[$"security.dispatch.{variant}"] > 0, variant);
            Assert.True(medians[$"security.data.{variant}"] > 0, variant);
        }

        foreach (var variant in new[] { "tokens", "tls", "mtls" })
        {
            Assert.Equal(medians[$"security.dispatch.{variant}"] / medians["security.dispatch.open"], medians[$"security.dispatch.ratio.{variant}"], 6);
            Assert.Equal(medians[$"security.data.{variant}"] / medians["security.data.open"], medians[$"security.data.ratio.{variant}"], 6);
        }
    }

    [Fact]
    public async Task SwarmQuick_TenAndHundredWorkers_EveryFigureReportedAndNoneDeclaredDead()
    {
        var medians = await RunQuickAsync("swarm");

        foreach (var workers in new[] { 10, 100 })
        {
            foreach (var figure in new[] { "join", "dispatch", "cpu", "rss", "fairness" })
            {
                Assert.True(medians[$"swarm.{figure}.{workers}"] > 0, $"swarm.{figure}.{workers}");
            }

            Assert.InRange(medians[$"swarm.fairness.{workers}"], 0.01, 1.0);
            Assert.True(medians[$"swarm.heartbeat_lag.{workers}"] >= 0);
            Assert.Equal(0, medians[$"swarm.dead.{workers}"]);
        }
    }

    [Fact]
    public async Task ColdQuick_ShippedAndDefaultVariants_FirstAndSecondJobMeasured()
    {
        var medians = await RunQuickAsync("cold");

        foreach (var variant in new[] { "shipped", "tiered_default" })
        {
            Assert.Equal(medians[$"cold.first.{variant}"] / medians[$"cold.second.{variant}"], medians[$"cold.ratio.{variant}"], 6);
            Assert.True(medians[$"cold.cpu_second.{variant}"] > 0, variant);
            Assert.True(medians[$"cold.join.{variant}"] > 0, variant);
        }
    }

    [Fact]
    public async Task ObserveQuick_EveryVariantAndTheDashboardMeasured()
    {
        var medians = await RunQuickAsync("observe");

        foreach (var variant in new[] { "page_open", "timeline_off", "tracing" })
        {
            Assert.Equal(medians[$"observe.{variant}.50000"] / medians["observe.shipped.50000"], medians[$"observe.ratio.{variant}"], 6);
        }

        Assert.True(medians["observe.state_p50.100"] > 0);
        Assert.True(medians["observe.state_kib.100"] * 1024 > 100 * 100, "the state of 100 workers is under 100 bytes a worker: they are not all in it");
        Assert.True(medians["observe.timeline_kib.100"] > medians["observe.state_kib.100"], "the state with a job's timeline is no bigger than without");
        Assert.True(medians["observe.stream_events.100"] > 0, "the live stream sent nothing while the jobs ran");
        Assert.InRange(medians["observe.stream_event_gzip_kib.100"], double.Epsilon, medians["observe.stream_event_kib.100"] / 2);
    }

    [Fact]
    public async Task UploadQuick_StreamedLocalAndBytesAndSpooledMeasured_RatiosReported()
    {
        var medians = await RunQuickAsync("upload");

        Assert.Equal(medians["upload.streamed"] / medians["upload.spooled"], medians["upload.streamed_over_spooled"], 6);
        Assert.Equal(medians["upload.streamed"] / medians["upload.streamed_bytes"], medians["upload.local_over_bytes"], 6);
        Assert.Equal(medians["upload.streamed_bytes"] / medians["upload.streamed_bytes_kestrel_blocks"], medians["upload.blocks_over_kestrel"], 6);
        foreach (var mode in new[] { "streamed", "streamed_bytes", "spooled", "streamed_bytes_kestrel_blocks" })
        {
            Assert.Equal(medians[$"upload.{mode}"] / medians["upload.inprocess"], medians[$"upload.{mode}.ratio"], 6);
            foreach (var hop in new[] { "client", "coordinator", "workers" })
            {
                Assert.True(medians[$"upload.{mode}.cpu.{hop}"] > 0, $"{mode} {hop}");
            }
        }
    }

    [Fact]
    public async Task ByReferenceQuick_RunningAndFreshEmbeddedClusters_RatiosReported()
    {
        var medians = await RunQuickAsync("byref");

        // The bench checks each job's result against the in-process run itself; here, that every variant was measured.
        foreach (var id in new[] { "sha256", "wordcount", "sha256.embedded", "sha256.embedded_runtime_tiering" })
        {
            Assert.Equal(medians[$"byref.{id}.cluster"] / medians[$"byref.{id}.inprocess"], medians[$"byref.{id}.ratio"], 6);
            Assert.True(medians[$"byref.{id}.cpu.workers"] > 0, id);
        }
    }

    [Fact]
    public async Task DurabilityQuick_RestartTimesAndWorkRedoneMeasured()
    {
        var medians = await RunQuickAsync("durability");

        Assert.True(medians["durability.journal.100000"] > 0);
        var listening = medians["durability.restart.listening"];
        Assert.True(listening > 0, $"listening {listening}");
        Assert.InRange(medians["durability.restart.serving"], listening, double.MaxValue);
        Assert.InRange(medians["durability.restart.resumed"], listening, double.MaxValue);
        Assert.InRange(medians["durability.redone.executions"], 0, double.MaxValue);
        Assert.True(medians["durability.redone.bound"] > 0, "the bound counts the chunks in flight at the kill");
        Assert.InRange(medians["durability.redone.executions.commit_1s"], 0, double.MaxValue);
        Assert.True(medians["durability.redone.bound.commit_1s"] > 0, "the bound counts the chunks in flight at the kill");
    }

    // Runs `cluster-bench WORKLOAD --quick`, checks that it measured without a failure, and returns each figure's median by id.
    private async Task<Dictionary<string, double>> RunQuickAsync(string workload)
    {
        var report = Path.Combine(Path.GetTempPath(), $"cluster-bench-{Guid.NewGuid():N}.json");
        try
        {
            var exitCode = await RunBenchAsync([workload, "--quick", "--out", report]);

            Assert.Equal(0, exitCode);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            Assert.Empty(json.RootElement.GetProperty("failures").EnumerateArray());
            return json.RootElement.GetProperty("figures").EnumerateArray()
                .ToDictionary(f => f.GetProperty("id").GetString()!, f => f.GetProperty("median").GetDouble());
        }
        finally
        {
            File.Delete(report);
        }
    }

    private async Task<int> RunBenchAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Executables.Bench);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(RunTimeout);
        }
        finally
        {
            // On a timeout the bench and every cluster process under it go; its own children exit with it as well.
            process.Kill(entireProcessTree: true);
            output.WriteLine(await stdout.WaitAsync(OutputTimeout));
            output.WriteLine(await stderr.WaitAsync(OutputTimeout));
        }

        return process.ExitCode;
    }
}
