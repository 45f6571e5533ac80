using System.Buffers;
using Google.Protobuf;

namespace Cluster.Coordinator.Dispatch;

/// <summary>
/// Buffers for the chunk payloads of one outgoing batch, rented from the shared pool and wrapped without copying.
/// A gRPC write has serialized its message once it completes, so the buffers go back to the pool right after the
/// batch is written: multi-MiB payloads (sha256 blocks) cost neither a copy nor a large-object allocation each.
/// The pool is the shared one unless a test gives its own.
/// </summary>
internal sealed class PayloadBuffers(ArrayPool<byte>? pool = null) : IBufferWriter<byte>, IDisposable
{
    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Shared;
    private readonly List<byte[]> _rented = [];
    private byte[] _current = [];
    private int _start;
    private int _written;

    /// <summary>Bytes written for the payload being built.</summary>
    public int Length => _written - _start;

    /// <summary>Begins the next payload.</summary>
    public void Begin() => _start = _written;

    /// <summary>The payload built since <see cref="Begin"/>, wrapped (valid until <see cref="Release"/>).</summary>
    public ByteString Take() =>
        Length == 0 ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(_current.AsMemory(_start, Length));

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_written);
    }

    /// <summary>Returns every buffer to the pool; call once the batch that wraps them has been written.</summary>
    public void Release()
    {
        foreach (var buffer in _rented)
        {
            _pool.Return(buffer);
        }

        _rented.Clear();
        _current = [];
        _start = _written = 0;
    }

    public void Dispose() => Release();

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_current.Length - _written >= needed)
        {
            return;
        }

        // A payload stays contiguous: move what it has so far into a larger buffer; earlier payloads keep theirs.
        var buffer = _pool.Rent(Math.Max(Length + needed, 64 * 1024));
        _current.AsSpan(_start, Length).CopyTo(buffer);
        _rented.Add(buffer);
        _written = Length;
        _start = 0;
        _current = buffer;
    }
}
