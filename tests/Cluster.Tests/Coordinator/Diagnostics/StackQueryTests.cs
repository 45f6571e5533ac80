using Cluster.Coordinator.Diagnostics;
using Cluster.Coordinator.Membership;

namespace Cluster.Tests.Coordinator.Diagnostics;

public sealed class StackQueryTests
{
    [Fact]
    public async Task Query_TwoWorkers_RunningAttemptsGetTheirStacksTheOthersAreQueued()
    {
        var host = new CoordinatorTestHost();
        var one = host.AddWorker("w1", threads: 1);
        var two = host.AddWorker("w2", threads: 1);
        var job = await host.SubmitSquaresAsync(4);
        var onOne = host.Take(one);
        var onTwo = host.Take(two);
        host.Time.Advance(TimeSpan.FromSeconds(3));

        var querying = host.Stacks.QueryAsync(job, chunk: null, CancellationToken.None);
        var asked = Assert.IsType<RequestStacks>(Assert.Single(Controls(one)));
        Assert.Equal(onOne.Select(a => a.Chunk), asked.Attempts.Select(a => a.Chunk));
        var running = onOne[0];
        one.OnStacks(new StackAnswer(asked.RequestId, [new ThreadStackInfo(new AttemptRef(job.Id, running.Chunk, running.Attempt), "compute-0", 2_500, ["Kind.Waits()", "Executor.Execute()"])], string.Empty));
        var askedTwo = Assert.IsType<RequestStacks>(Assert.Single(Controls(two)));
        two.OnStacks(new StackAnswer(askedTwo.RequestId, [], string.Empty));
        var stacks = await querying.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(onOne.Count + onTwo.Count, stacks.Count);
        var stack = stacks.Single(s => s.State == "running");
        Assert.Equal((running.Chunk, "w1", "compute-0", 2_500L), (stack.Chunk, stack.WorkerId, stack.Thread, stack.RunningMs));
        Assert.Equal(["Kind.Waits()", "Executor.Execute()"], stack.Frames);
        Assert.All(stacks.Where(s => s != stack), s => Assert.Equal(("queued", 3_000L), (s.State, s.RunningMs)));
    }

    [Fact]
    public async Task Query_WorkerSilent_AttemptsSayItDidNotAnswerInTime()
    {
        var host = new CoordinatorTestHost();
        var one = host.AddWorker("w1", threads: 1);
        var job = await host.SubmitSquaresAsync(2);
        _ = host.Take(one);

        var querying = host.Stacks.QueryAsync(job, chunk: null, CancellationToken.None);
        host.Time.Advance(StackQuery.AnswerTimeout + TimeSpan.FromSeconds(1));

        var stacks = await querying.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(stacks);
        Assert.All(stacks, s => Assert.Equal("no answer: worker w1 did not answer within 30 s", s.State));
    }

    [Fact]
    public async Task Query_OneChunk_AsksOnlyItsWorkerAboutIt()
    {
        var host = new CoordinatorTestHost();
        var one = host.AddWorker("w1", threads: 1);
        var two = host.AddWorker("w2", threads: 1);
        var job = await host.SubmitSquaresAsync(4);
        _ = host.Take(one);
        var chunk = host.Take(two)[0].Chunk;

        var querying = host.Stacks.QueryAsync(job, chunk, CancellationToken.None);

        Assert.Empty(Controls(one));
        var asked = Assert.IsType<RequestStacks>(Assert.Single(Controls(two)));
        Assert.Equal([chunk], asked.Attempts.Select(a => a.Chunk));
        two.OnStacks(new StackAnswer(asked.RequestId, [], "the worker could not write a dump of itself"));
        var stack = Assert.Single(await querying.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("no answer: the worker could not write a dump of itself", stack.State);
    }

    [Fact]
    public async Task Query_WorkerLeavesBeforeAnswering_SaysSoWithoutWaitingForTheTimeout()
    {
        var host = new CoordinatorTestHost();
        var one = host.AddWorker("w1", threads: 1);
        var job = await host.SubmitSquaresAsync(2);
        _ = host.Take(one);

        var querying = host.Stacks.QueryAsync(job, chunk: null, CancellationToken.None);
        one.Abort("test: the worker died");

        var stacks = await querying.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(stacks, s => Assert.Equal("no answer: worker w1 left before answering", s.State));
    }

    private static List<SessionControl> Controls(WorkerSession session)
    {
        var controls = new List<SessionControl>();
        while (session.TryDequeueControl(out var control))
        {
            controls.Add(control);
        }

        return controls;
    }
}
