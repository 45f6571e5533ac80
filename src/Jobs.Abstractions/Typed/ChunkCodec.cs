using System.Buffers;

namespace Cluster.Jobs.Typed;

/// <summary>
/// Turns a chunk, or a chunk's result, into bytes and back. <see cref="ChunkCodecs"/> picks one for a type; a kind may
/// override it (for example with a System.Text.Json source-generated context).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public abstract class ChunkCodec<T>
{
    /// <summary>Writes <paramref name="value"/>. Called from several threads at once.</summary>
    public abstract void Write(T value, IBufferWriter<byte> writer);

    /// <summary>Reads a value written by <see cref="Write"/>. Called from several threads at once.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a value of this codec.</exception>
    public abstract T Read(ReadOnlySpan<byte> data);
}
