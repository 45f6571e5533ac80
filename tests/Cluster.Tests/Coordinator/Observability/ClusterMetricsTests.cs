using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Observability;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Observability;

public sealed class ClusterMetricsTests
{
    [Fact]
    public async Task Answer_SucceededChunks_RecordsEachDurationInSecondsByKind()
    {
        var host = new CoordinatorTestHost();
        using var durations = new MetricCollector<double>(host.Metrics.Meter, "cluster.chunk.duration");
        using var bytes = new MetricCollector<long>(host.Metrics.Meter, "cluster.io");
        var worker = host.AddWorker("w1", threads: 4);
        await host.SubmitSquaresAsync(3);

        host.Answer(worker, [.. host.Take(worker).Select(a => CoordinatorTestHost.SuccessAfter(a, elapsedUs: 2_000 + a.Chunk))]);

        var recorded = durations.GetMeasurementSnapshot();
        Assert.Equal([0.002, 0.002001, 0.002002], recorded.Select(m => m.Value).Order());
        Assert.All(recorded, m => Assert.Equal("squares", m.Tags["kind"]));
        var received = bytes.GetMeasurementSnapshot().Where(m => Equals(m.Tags["direction"], "receive")).ToList();
        Assert.Equal(3 * sizeof(long), received.Sum(m => m.Value));
        Assert.All(received, m => Assert.Equal("chunk_output", m.Tags["flow"]));
    }

    [Fact]
    public async Task Gauges_WorkersThreadsAndChunks_ReadFromTheRegistryAndStore()
    {
        var host = new CoordinatorTestHost();
        _ = new ClusterGauges(host.Metrics, host.Registry, host.Ledger, host.Store, OptionsFactory.Create(host.Options));
        using var workers = new MetricCollector<int>(host.Metrics.Meter, "cluster.workers");
        using var threads = new MetricCollector<int>(host.Metrics.Meter, "cluster.worker.threads");
        using var chunks = new MetricCollector<long>(host.Metrics.Meter, "cluster.chunks");
        var worker = host.AddWorker("w1", threads: 2);
        host.AddWorker("w2", threads: 3);
        await host.SubmitSquaresAsync(20);
        var taken = host.Take(worker);

        workers.RecordObservableInstruments();
        threads.RecordObservableInstruments();
        chunks.RecordObservableInstruments();
        Assert.Equal(2, workers.LastMeasurement!.Value);
        Assert.Equal(5, threads.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, threads.GetMeasurementSnapshot().Single(m => Equals(m.Tags["state"], "busy")).Value);
        var snapshot = chunks.GetMeasurementSnapshot();
        Assert.Equal(taken.Count, snapshot.Single(m => Equals(m.Tags["state"], "running")).Value);
        Assert.Equal(20 - taken.Count, snapshot.Single(m => Equals(m.Tags["state"], "queued")).Value);
    }

    [Fact]
    public async Task ChunksDone_JobsForgottenPastRetention_StillCounted()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { RetainedJobs = 1 });
        _ = new ClusterGauges(host.Metrics, host.Registry, host.Ledger, host.Store, OptionsFactory.Create(host.Options));
        using var done = new MetricCollector<long>(host.Metrics.Meter, "cluster.chunks.done");
        var worker = host.AddWorker("w1", threads: 8);
        foreach (var n in new[] { 2L, 3L, 4L })
        {
            var job = await host.SubmitSquaresAsync(n);
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
            await job.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Single(host.Store.All);
        done.RecordObservableInstruments();
        Assert.Equal(9, done.LastMeasurement!.Value);
    }
}
