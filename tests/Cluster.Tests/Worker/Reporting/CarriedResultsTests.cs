using Cluster.Contracts.V1;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Reporting;
using static Cluster.Tests.Worker.Fakes.Messages;

namespace Cluster.Tests.Worker.Reporting;

public sealed class CarriedResultsTests
{
    [Fact]
    public void Add_OutletAttached_SendsAtOnce()
    {
        var carried = new CarriedResults();
        var outlet = new CollectingOutlet();
        carried.Attach(outlet);

        carried.Add(Output("j", 1));

        Assert.Equal([1L], outlet.Received.Select(r => r.ChunkIndex));
        Assert.Equal(0, carried.Waiting);
    }

    [Fact]
    public void Add_WithAssignedEpoch_StampedOnceAndKeptThroughALaterSession()
    {
        var carried = new CarriedResults();
        var result = Output("j", 1);
        carried.Add(result, assignedEpoch: 4);

        // Carried again by a session of a later epoch, which died before sending it: it keeps the epoch that assigned it.
        carried.Add(result, assignedEpoch: 5);
        carried.Add(Output("j", 2), assignedEpoch: 5);
        var outlet = new CollectingOutlet();
        carried.Attach(outlet);

        Assert.Equal([(1L, 4L), (1L, 4L), (2L, 5L)], outlet.Received.Select(r => (r.ChunkIndex, r.AssignedEpoch)));
    }

    [Fact]
    public void Add_NoOutlet_WaitsAndGoesToTheNextOutletOldestFirst()
    {
        var carried = new CarriedResults();
        carried.Add(Output("j", 1));
        carried.Add(Output("j", 2));
        var outlet = new CollectingOutlet();

        carried.Attach(outlet);

        Assert.Equal([1L, 2L], outlet.Received.Select(r => r.ChunkIndex));
        Assert.Equal(0, carried.Waiting);
    }

    [Fact]
    public void Add_FailureResult_IsCarried()
    {
        var carried = new CarriedResults();

        carried.Add(new ChunkResult { JobId = "j", ChunkIndex = 1, Failure = new ChunkFailure { Message = "boom" } });

        Assert.Equal(1, carried.Waiting);
    }

    [Fact]
    public void Add_ReleasedOrEmptyResult_IsDropped()
    {
        var carried = new CarriedResults();
        var outlet = new CollectingOutlet();
        carried.Attach(outlet);

        carried.Add(new ChunkResult { JobId = "j", ChunkIndex = 1, Released = true });
        carried.Add(new ChunkResult { JobId = "j", ChunkIndex = 2 });

        Assert.Empty(outlet.Received);
        Assert.Equal(0, carried.Waiting);
    }

    [Fact]
    public void Add_OutletRefuses_KeepsResultForTheNextOutlet()
    {
        var carried = new CarriedResults();
        carried.Attach(new CollectingOutlet(capacity: 0));
        carried.Add(Output("j", 1));
        var next = new CollectingOutlet();

        carried.Attach(next);

        Assert.Equal([1L], next.Received.Select(r => r.ChunkIndex));
    }

    [Fact]
    public void Attach_OutletTakesOnlySome_RestWaitInOrder()
    {
        var carried = new CarriedResults();
        for (var i = 0; i < 5; i++)
        {
            carried.Add(Output("j", i));
        }

        var small = new CollectingOutlet(capacity: 2);
        carried.Attach(small);
        var next = new CollectingOutlet();
        carried.Attach(next);

        Assert.Equal([0L, 1L], small.Received.Select(r => r.ChunkIndex));
        Assert.Equal([2L, 3L, 4L], next.Received.Select(r => r.ChunkIndex));
    }

    [Fact]
    public void Detach_CurrentOutlet_LaterResultsWait()
    {
        var carried = new CarriedResults();
        var outlet = new CollectingOutlet();
        carried.Attach(outlet);

        carried.Detach(outlet);
        carried.Add(Output("j", 1));

        Assert.Empty(outlet.Received);
        Assert.Equal(1, carried.Waiting);
    }

    [Fact]
    public void Detach_EarlierOutletAfterANewOneAttached_NewOneKeepsReceiving()
    {
        var carried = new CarriedResults();
        var old = new CollectingOutlet();
        var current = new CollectingOutlet();
        carried.Attach(old);
        carried.Attach(current);

        carried.Detach(old);
        carried.Add(Output("j", 1));

        Assert.Empty(old.Received);
        Assert.Equal([1L], current.Received.Select(r => r.ChunkIndex));
    }

    [Fact]
    public void Add_MoreThanTheCapWhileNoOutlet_KeepsTheLatest()
    {
        var carried = new CarriedResults();
        for (var i = 0; i < CarriedResults.MaxWaiting + 5; i++)
        {
            carried.Add(Output("j", i));
        }

        Assert.Equal(10_000, carried.Waiting);
        var outlet = new CollectingOutlet();
        carried.Attach(outlet);
        Assert.Equal(10_000, outlet.Received.Count);
        Assert.Equal(5, outlet.Received[0].ChunkIndex);
        Assert.Equal(CarriedResults.MaxWaiting + 4, outlet.Received[^1].ChunkIndex);
    }
}
