using System.Text.Json;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Jobs.BuiltIn;

/// <summary>Runs kinds in process for the kind tests, with the chunkings the tests compare.</summary>
internal static class KindHarness
{
    public static Dictionary<string, object> Params(params (string Name, object Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    public static JobOutput Run(IJobKind kind, Dictionary<string, object> parameters, InProcessRunOptions? options = null, IJobInput? input = null) =>
        InProcessJobRunner.Run(kind, parameters, input, options ?? new InProcessRunOptions { Threads = 2 });

    public static JsonElement Summary(JobOutput output) => JsonDocument.Parse(output.SummaryJson).RootElement;

    /// <summary>Chunkings every kind must agree across: one chunk, odd counts, many chunks, a chunk size, a shuffled order.</summary>
    public static IEnumerable<InProcessRunOptions> Chunkings(long chunkSize) =>
    [
        new() { Threads = 1, Chunks = 1 },
        new() { Threads = 2, Chunks = 7 },
        new() { Threads = 2, Chunks = 64, ShuffleSeed = 5 },
        new() { Threads = 2, ChunkSize = chunkSize, ShuffleSeed = 11 },
    ];

    public static JobParameterException Rejects(IJobKind kind, Dictionary<string, object> parameters, InProcessRunOptions? options = null, IJobInput? input = null) =>
        Assert.Throws<JobParameterException>(() => Run(kind, parameters, options, input));
}
