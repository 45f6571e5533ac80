using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cluster.Jobs.Typed;

/// <summary>A value as UTF-8 JSON.</summary>
internal sealed class JsonChunkCodec<T>(JsonTypeInfo<T> typeInfo) : ChunkCodec<T>
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public override void Write(T value, IBufferWriter<byte> writer)
    {
        // One writer per thread, re-pointed at each buffer: a chunk's result allocates no writer.
        var json = t_writer;
        if (json is null)
        {
            json = new Utf8JsonWriter(writer);
            t_writer = json;
        }
        else
        {
            json.Reset(writer);
        }

        JsonSerializer.Serialize(json, value, typeInfo);
        json.Flush();
    }

    public override T Read(ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, typeInfo)!;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"A chunk's {typeof(T).Name} is not valid JSON: {e.Message}", e);
        }
    }
}
