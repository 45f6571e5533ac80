using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Bench.Infrastructure;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Bench.Workloads;

/// <summary>
/// What the typed SDK's serialisation costs per chunk, in CPU time: a range payload and a count result written and read back, with
/// the SDK's binary codecs, System.Text.Json source generation, and System.Text.Json reflection.
/// </summary>
internal static class CodecTiming
{
    // Timed by this process's CPU time, not the wall clock, so other processes on the cores do not count; batches run
    // until enough CPU time has passed for /proc's 10 ms ticks to be fine enough.
    private const int Batch = 50_000;

    /// <summary>CPU nanoseconds per chunk (payload and result, each written and read) for the three formats.</summary>
    public static (double Binary, double SourceGenerated, double Reflection) Measure(TimeSpan cpuPerFormat)
    {
        var binary = (ChunkCodecs.Default<LongRange>(), ChunkCodecs.Default<long>());
        var generated = (ChunkCodecs.Json(CodecJson.Default.LongRange), ChunkCodecs.Json(CodecJson.Default.Int64));
        var reflection = (JsonOnly<LongRange>(), JsonOnly<long>());
        // Warm up as long as measured, so every format runs at its final JIT tier.
        foreach (var codecs in new[] { binary, generated, reflection })
        {
            Time(codecs, cpuPerFormat);
        }

        return (Time(binary, cpuPerFormat), Time(generated, cpuPerFormat), Time(reflection, cpuPerFormat));
    }

    private static ChunkCodec<T> JsonOnly<T>() =>
        ChunkCodecs.Json((System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ChunkCodecs.JsonOptions.GetTypeInfo(typeof(T)));

    private static double Time((ChunkCodec<LongRange> Payload, ChunkCodec<long> Result) codecs, TimeSpan cpu)
    {
        var start = ProcCpu.Seconds(Environment.ProcessId);
        long chunks = 0;
        double used;
        do
        {
            RunBatch(codecs, chunks);
            chunks += Batch;
            used = ProcCpu.Seconds(Environment.ProcessId) - start;
        }
        while (used < cpu.TotalSeconds);

        return used * 1e9 / chunks;
    }

    private static void RunBatch((ChunkCodec<LongRange> Payload, ChunkCodec<long> Result) codecs, long first)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        long check = 0;
        for (var i = first; i < first + Batch; i++)
        {
            buffer.ResetWrittenCount();
            codecs.Payload.Write(new LongRange(i * 1_000L, (i + 1) * 1_000L), buffer);
            var range = codecs.Payload.Read(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
            codecs.Result.Write(range.Length + i, buffer);
            check += codecs.Result.Read(buffer.WrittenSpan);
        }

        var expected = (1_000L * Batch) + (Batch * first) + ((long)Batch * (Batch - 1) / 2);
        if (check != expected)
        {
            throw new InvalidOperationException($"The codecs read back {check}, not {expected}.");
        }
    }
}

/// <summary>Source-generated System.Text.Json metadata for <see cref="CodecTiming"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LongRange))]
[JsonSerializable(typeof(long))]
internal sealed partial class CodecJson : JsonSerializerContext;
