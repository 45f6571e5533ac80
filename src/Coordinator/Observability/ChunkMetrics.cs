using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cluster.Coordinator.Observability;

/// <summary>
/// The instruments recorded as things happen, on the paths that move chunks and bytes: chunk durations per kind and
/// bytes in and out per flow. Everything counted once per job or per batch elsewhere is observed instead
/// (<see cref="ClusterGauges"/>), so the hot path pays for these two only.
/// </summary>
internal sealed class ChunkMetrics
{
    /// <summary>The coordinator's meter; export it by this name.</summary>
    public const string MeterName = "Cluster.Coordinator";

    // Chunk times run from tens of microseconds (dispatch benchmarks) to minutes: a decade ladder with halves.
    private static readonly IReadOnlyList<double> DurationBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

    private readonly Histogram<double> _durations;
    private readonly Counter<long> _bytes;

    public ChunkMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _durations = Meter.CreateHistogram(
            "cluster.chunk.duration",
            unit: "s",
            description: "Time workers took to run chunks that succeeded, as the workers measured it, by job kind.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _bytes = Meter.CreateCounter<long>(
            "cluster.io",
            unit: "By",
            description: "Bytes the coordinator received (direction=receive: uploaded input, chunk outputs) and sent (direction=transmit: chunk payloads, results).");
    }

    /// <summary>The meter every coordinator instrument belongs to.</summary>
    public Meter Meter { get; }

    /// <summary>Whether anything listens to the duration histogram (a scrape exporter, a test's collector).</summary>
    public bool DurationsEnabled => _durations.Enabled;

    /// <summary>Records the run time of one chunk of a job of <paramref name="kind"/>.</summary>
    public void ChunkSucceeded(string kind, long elapsedMicros) =>
        _durations.Record(elapsedMicros / 1e6, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts bytes received.</summary>
    public void Received(IoFlow flow, long bytes) => Count(bytes, "receive", flow);

    /// <summary>Counts bytes sent.</summary>
    public void Sent(IoFlow flow, long bytes) => Count(bytes, "transmit", flow);

    private void Count(long bytes, string direction, IoFlow flow)
    {
        if (bytes > 0)
        {
            var tags = new TagList { { "direction", direction }, { "flow", FlowName(flow) } };
            _bytes.Add(bytes, tags);
        }
    }

    private static string FlowName(IoFlow flow) => flow switch
    {
        IoFlow.Input => "input",
        IoFlow.ChunkOutput => "chunk_output",
        IoFlow.ChunkPayload => "chunk_payload",
        IoFlow.Result => "result",
        _ => "other",
    };
}

/// <summary>What bytes were for, the <c>flow</c> label of <c>cluster_io_bytes_total</c>.</summary>
internal enum IoFlow
{
    /// <summary>A job's uploaded input.</summary>
    Input,

    /// <summary>Chunk outputs workers sent back.</summary>
    ChunkOutput,

    /// <summary>Chunk payloads sent to workers.</summary>
    ChunkPayload,

    /// <summary>Results sent to clients.</summary>
    Result,
}
