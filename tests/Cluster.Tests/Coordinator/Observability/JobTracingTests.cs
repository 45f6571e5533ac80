using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Cluster.Tests.Coordinator.Observability;

public sealed class JobTracingTests
{
    [Fact]
    public async Task Start_JobRunsToTheEnd_OneRootSpanFromSubmissionToFinishWhoseContextTheWorkersGet()
    {
        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(Cluster.Coordinator.Observability.JobTracing.SourceName).AddInMemoryExporter(spans).Build();
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w1", threads: 4);
        var job = await host.SubmitSquaresAsync(3);
        List<Activity> Mine() => spans.Where("cluster.job.id", job.Id);

        bool Ended() => Mine().Count > 0;

        var traceParent = host.Tracing.Start(job);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        // The span ends in a continuation of the job's completion, which may run just after this test's.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!Ended())
        {
            await Task.Delay(10, deadline.Token);
        }

        Assert.True(ActivityContext.TryParse(traceParent, null, out var context));
        // Other tests' jobs may be traced meanwhile by this process-wide listener: only this job's span counts.
        var span = Assert.Single(Mine());
        Assert.Equal((context.TraceId, context.SpanId), (span.TraceId, span.SpanId));
        Assert.Equal(default, span.ParentSpanId);
        Assert.Equal(job.SubmittedAt, new DateTimeOffset(span.StartTimeUtc));
        Assert.Equal(("succeeded", 3L), ((string)span.GetTagItem("cluster.job.state")!, (long)span.GetTagItem("cluster.job.chunks_done")!));
    }

    [Fact]
    public async Task Start_NothingListens_NoContextForTheWorkers()
    {
        var host = new CoordinatorTestHost();
        var job = await host.SubmitSquaresAsync(1);

        Assert.Equal(string.Empty, host.Tracing.Start(job));
    }
}
