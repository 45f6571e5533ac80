using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Writes a kind's JSON summary with <see cref="Utf8JsonWriter"/>, so strings are escaped and numbers invariant.</summary>
internal static class SummaryJson
{
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
