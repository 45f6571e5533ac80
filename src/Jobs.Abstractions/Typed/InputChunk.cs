namespace Cluster.Jobs.Typed;

/// <summary>One chunk of a job's input: where it starts in the input, and its bytes (valid only while the chunk runs).</summary>
public readonly ref struct InputChunk
{
    /// <summary>Creates a chunk.</summary>
    public InputChunk(long index, long offset, ReadOnlySpan<byte> data)
    {
        Index = index;
        Offset = offset;
        Data = data;
    }

    /// <summary>The chunk's number, from 0.</summary>
    public long Index { get; }

    /// <summary>Position of the first byte of <see cref="Data"/> in the input.</summary>
    public long Offset { get; }

    /// <summary>The chunk's bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The lines of <see cref="Data"/>, split on <c>'\n'</c>, without the <c>'\n'</c> nor a <c>'\r'</c> before it.</summary>
    public InputLines Lines => new(Data);
}

/// <summary>The lines of a chunk; use in <c>foreach</c>.</summary>
public ref struct InputLines
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    /// <summary>Lines of <paramref name="data"/>.</summary>
    public InputLines(ReadOnlySpan<byte> data)
    {
        _rest = data;
        _done = data.IsEmpty;
        Current = default;
    }

    /// <summary>The current line.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Returns this enumerator.</summary>
    public readonly InputLines GetEnumerator() => this;

    /// <summary>Moves to the next line; a final line without <c>'\n'</c> counts, an empty tail after the last <c>'\n'</c> does not.</summary>
    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        var newline = _rest.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line;
        if (newline < 0)
        {
            line = _rest;
            _done = true;
        }
        else
        {
            line = _rest[..newline];
            _rest = _rest[(newline + 1)..];
            _done = _rest.IsEmpty;
        }

        Current = line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
        return true;
    }
}
