using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Cluster.Jobs.Splitting;

namespace Cluster.Jobs.Typed;

/// <summary>
/// The codecs the typed layer uses: a fixed little-endian binary form for <see cref="long"/>, <see cref="int"/>,
/// <see cref="double"/>, <see cref="bool"/>, <see cref="string"/> (UTF-8), byte arrays and
/// <see cref="LongRange"/>; System.Text.Json (camel case) for everything else.
/// </summary>
/// <remarks>
/// Binary for the common small shapes because a range payload and a count result are what most chunks carry, and
/// their binary form costs a few nanoseconds where JSON costs a few hundred (cluster-bench <c>typed</c> measures both).
/// </remarks>
public static class ChunkCodecs
{
    /// <summary>
    /// Shared JSON options of the typed layer (<see cref="CreateJsonOptions"/>), for the host's own types. A typed kind
    /// uses an instance of its own, so that no shared cache holds the types of a kind loaded in a collectible context.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>The codec for <typeparamref name="T"/>: binary for the types listed on <see cref="ChunkCodecs"/>, else JSON with <see cref="JsonOptions"/>.</summary>
    public static ChunkCodec<T> Default<T>() => DefaultCache<T>.Codec;

    /// <summary>The codec for <typeparamref name="T"/>: binary for the types listed on <see cref="ChunkCodecs"/>, else JSON with <paramref name="options"/>.</summary>
    public static ChunkCodec<T> Default<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (ChunkCodec<T>?)BinaryCodecs.For(typeof(T)) ?? new JsonChunkCodec<T>((JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }

    /// <summary>A JSON codec from type information, for example a source-generated <c>JsonSerializerContext</c>'s property.</summary>
    public static ChunkCodec<T> Json<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonChunkCodec<T>(typeInfo);
    }

    /// <summary>New, read-only JSON options as the typed layer uses them: web defaults (camel case), reflection-based, NaN and infinities allowed.</summary>
    public static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly();
        return options;
    }

    private static class DefaultCache<T>
    {
        public static readonly ChunkCodec<T> Codec = Default<T>(JsonOptions);
    }
}
