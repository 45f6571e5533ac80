using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// What the journal keeps of an accepted job to plan it again after a restart: the kind and its bundle, the caller's
/// fields and parameter values, and the chunking request as it was resolved at submission (the default chunk count
/// depends on the workers connected then), so the same input plans to the same chunks. <see cref="InputUrl"/> is the
/// input by reference (<c>JobSpec.input_url</c>), empty for an uploaded input (kept in the data directory) or none;
/// <see cref="InputETag"/> the entity tag an HTTP(S) input had at submission, which the workers keep checking.
/// <see cref="InputArriving"/> says an uploaded input was planned while it arrived (its length declared), so that it is
/// planned the same way again (line-split kinds then split unscanned).
/// </summary>
internal sealed record JournalSpec(
    string Kind,
    string BundleId,
    string Name,
    string Owner,
    long Chunks,
    long ChunkSize,
    long DefaultChunks,
    long MaxChunks,
    int MaxAttempts,
    IReadOnlyDictionary<string, object> Parameters,
    string InputUrl = "",
    string InputETag = "",
    bool InputArriving = false)
{
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteString("bundle", BundleId);
            json.WriteString("name", Name);
            json.WriteString("owner", Owner);
            json.WriteNumber("chunks", Chunks);
            json.WriteNumber("chunkSize", ChunkSize);
            json.WriteNumber("defaultChunks", DefaultChunks);
            json.WriteNumber("maxChunks", MaxChunks);
            json.WriteNumber("maxAttempts", MaxAttempts);
            if (InputUrl.Length > 0)
            {
                json.WriteString("inputUrl", InputUrl);
            }

            if (InputETag.Length > 0)
            {
                json.WriteString("inputETag", InputETag);
            }

            if (InputArriving)
            {
                json.WriteBoolean("inputArriving", true);
            }

            json.WriteStartObject("parameters");
            foreach (var (name, value) in Parameters)
            {
                json.WriteStartObject(name);
                switch (value)
                {
                    case long l: json.WriteNumber("long", l); break;
                    case double d: json.WriteString("double", d.ToString("R", CultureInfo.InvariantCulture)); break;
                    case bool b: json.WriteBoolean("bool", b); break;
                    default: json.WriteString("string", Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static JournalSpec FromJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var parameter in root.GetProperty("parameters").EnumerateObject())
        {
            var typed = parameter.Value.EnumerateObject().Single();
            parameters[parameter.Name] = typed.Name switch
            {
                "long" => typed.Value.GetInt64(),
                "double" => double.Parse(typed.Value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
                "bool" => typed.Value.GetBoolean(),
                _ => typed.Value.GetString()!,
            };
        }

        return new JournalSpec(
            root.GetProperty("kind").GetString()!,
            root.GetProperty("bundle").GetString()!,
            root.GetProperty("name").GetString()!,
            root.GetProperty("owner").GetString()!,
            root.GetProperty("chunks").GetInt64(),
            root.GetProperty("chunkSize").GetInt64(),
            root.GetProperty("defaultChunks").GetInt64(),
            root.GetProperty("maxChunks").GetInt64(),
            root.GetProperty("maxAttempts").GetInt32(),
            parameters,
            root.TryGetProperty("inputUrl", out var url) ? url.GetString()! : string.Empty,
            root.TryGetProperty("inputETag", out var etag) ? etag.GetString()! : string.Empty,
            root.TryGetProperty("inputArriving", out var arriving) && arriving.GetBoolean());
    }
}
