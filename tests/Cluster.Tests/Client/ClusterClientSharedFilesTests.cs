using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Tests.Client;

/// <summary>A client names its input files by path only to a coordinator on this machine whose workers share its files.</summary>
public sealed class ClusterClientSharedFilesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task WorkersShareLocalFilesAsync_LoopbackCoordinator_AnswersWhatListKindsSays(bool shares, bool expected)
    {
        var invoker = new FakeCallInvoker().OnUnary<ListKindsRequest, ListKindsResponse>(
            FakeCallInvoker.JobService("ListKinds"), _ => new ListKindsResponse { WorkersShareFiles = shares });
        using var client = new ClusterClient(invoker, new Uri("http://127.0.0.1:7400"));

        Assert.Equal(expected, await client.WorkersShareLocalFilesAsync().WaitAsync(Bound));
        Assert.Equal(1, invoker.CallsTo(FakeCallInvoker.JobService("ListKinds")));
    }

    [Fact]
    public async Task WorkersShareLocalFilesAsync_CoordinatorOnAnotherHost_FalseWithoutAsking()
    {
        var invoker = new FakeCallInvoker().OnUnary<ListKindsRequest, ListKindsResponse>(
            FakeCallInvoker.JobService("ListKinds"), _ => new ListKindsResponse { WorkersShareFiles = true });
        using var client = new ClusterClient(invoker, new Uri("http://192.0.2.1:7400"));

        Assert.False(await client.WorkersShareLocalFilesAsync().WaitAsync(Bound));
        Assert.Equal(0, invoker.CallsTo(FakeCallInvoker.JobService("ListKinds")));
    }
}
