using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.EndToEnd;

/// <summary>Bad requests get the right status and a message naming the field; the coordinator carries on.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ValidationTests(ITestOutputHelper output)
{
    private static readonly (string Name, string Field)[] BadSpecs =
    [
        ("unknown-kind", "kind"),
        ("negative-range", "from"),
        ("zero-samples", "samples"),
        ("missing-input", "input"),
        ("unknown-parameter", "bogus"),
        ("wrong-type", "to"),
    ];

    [Fact]
    public async Task Submit_BadSpecs_InvalidArgumentNamingFieldAndServerCarriesOn()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1);
        var running = await cluster.Client.SubmitAsync(Spec("sleep", ("ms", 10L)));

        foreach (var (name, field) in BadSpecs)
        {
            var ex = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.SubmitAsync(Bad(name)));
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        }

        var unknown = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.GetJobAsync("0123456789abcdef0123456789abcdef"));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(JobState.Succeeded, (await cluster.Client.WaitForCompletionAsync(running.JobId).WaitAsync(TestCluster.JobTimeout)).State);
        Assert.Equal(78_498, Json(await cluster.RunAsync(Spec("primes", ("from", 0L), ("to", 1_000_000L)))).GetProperty("count").GetInt64());
    }

    private static JobSpec Bad(string name) => name switch
    {
        "unknown-kind" => Spec("no-such-kind"),
        "negative-range" => Spec("primes", ("from", -5L), ("to", 10L)),
        "zero-samples" => Spec("pi", ("samples", 0L)),
        "missing-input" => Spec("sha256"),
        "unknown-parameter" => Spec("noop", ("bogus", 1L)),
        "wrong-type" => Spec("primes", ("from", 0L), ("to", "ten")),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
