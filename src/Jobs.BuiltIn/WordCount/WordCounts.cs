using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Cluster.Jobs.BuiltIn.WordCount;

/// <summary>
/// A word → count table. Lookups take the word as characters, so a word that is already known costs no allocation.
/// Also the compact wire form a chunk returns: entries of (varint UTF-8 length, UTF-8 bytes, varint count).
/// </summary>
public sealed class WordCounts
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty table.</summary>
    public WordCounts() => _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>All words counted, with repetitions.</summary>
    public long Total { get; private set; }

    /// <summary>Number of distinct words.</summary>
    public int Distinct => _counts.Count;

    /// <summary>Adds <paramref name="count"/> occurrences of <paramref name="word"/>.</summary>
    public void Add(ReadOnlySpan<char> word, long count)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, word, out _);
        slot += count;
        Total += count;
    }

    /// <summary>The count of <paramref name="word"/>, or 0.</summary>
    public long CountOf(string word) => _counts.GetValueOrDefault(word);

    /// <summary>The <paramref name="k"/> most frequent words, most frequent first, ties in ordinal order of the word.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Top(int k) =>
        [.. _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(k)];

    /// <summary>Writes the table in its wire form.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var size = 0;
        foreach (var (word, count) in _counts)
        {
            var length = Encoding.UTF8.GetByteCount(word);
            size += VarInt.Size((ulong)length) + length + VarInt.Size((ulong)count);
        }

        var span = writer.GetSpan(size);
        var at = 0;
        foreach (var (word, count) in _counts)
        {
            var length = Encoding.UTF8.GetByteCount(word);
            at += VarInt.Write(span[at..], (ulong)length);
            at += Encoding.UTF8.GetBytes(word, span[at..]);
            at += VarInt.Write(span[at..], (ulong)count);
        }

        writer.Advance(size);
    }

    /// <summary>Adds every entry of a table in wire form.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a table in wire form.</exception>
    public void AddFrom(ReadOnlySpan<byte> wire)
    {
        var chars = ArrayPool<char>.Shared.Rent(256);
        try
        {
            var at = 0;
            while (at < wire.Length)
            {
                var length = checked((int)VarInt.Read(wire, ref at));
                if (length > wire.Length - at)
                {
                    throw new InvalidDataException($"A word of {length} bytes runs past the end of a {wire.Length}-byte table.");
                }

                var utf8 = wire.Slice(at, length);
                at += length;
                if (chars.Length < length)
                {
                    ArrayPool<char>.Shared.Return(chars);
                    chars = ArrayPool<char>.Shared.Rent(length);
                }

                var charCount = Encoding.UTF8.GetChars(utf8, chars);
                Add(chars.AsSpan(0, charCount), checked((long)VarInt.Read(wire, ref at)));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
