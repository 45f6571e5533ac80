using System.Buffers;
using System.Text;

namespace Cluster.Jobs.BuiltIn.WordCount;

/// <summary>
/// The wordcount kernel. A word is a maximal run of Unicode letters or decimal digits, lower-cased with the invariant
/// culture; anything else, including invalid UTF-8, separates words.
/// </summary>
public static class WordCounter
{
    /// <summary>Counts the words of <paramref name="utf8"/> into <paramref name="counts"/>.</summary>
    public static void CountWords(ReadOnlySpan<byte> utf8, WordCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var word = ArrayPool<char>.Shared.Rent(256);
        var length = 0;
        try
        {
            var i = 0;
            while (i < utf8.Length)
            {
                // Room for the longest case mapping of one rune (a surrogate pair).
                if (word.Length - length < 2)
                {
                    word = Grow(word);
                }

                var b = utf8[i];
                if (b < 0x80)
                {
                    // ASCII fast path: the same answer Rune would give, without decoding.
                    i++;
                    if (char.IsAsciiLetterOrDigit((char)b))
                    {
                        word[length++] = char.IsAsciiLetterUpper((char)b) ? (char)(b | 0x20) : (char)b;
                        continue;
                    }
                }
                else
                {
                    var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
                    i += consumed;
                    if (status == OperationStatus.Done && Rune.IsLetterOrDigit(rune))
                    {
                        length += Rune.ToLowerInvariant(rune).EncodeToUtf16(word.AsSpan(length));
                        continue;
                    }
                }

                if (length > 0)
                {
                    counts.Add(word.AsSpan(0, length), 1);
                    length = 0;
                }
            }

            if (length > 0)
            {
                counts.Add(word.AsSpan(0, length), 1);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(word);
        }
    }

    private static char[] Grow(char[] word)
    {
        var larger = ArrayPool<char>.Shared.Rent(word.Length * 2);
        word.CopyTo(larger, 0);
        ArrayPool<char>.Shared.Return(word);
        return larger;
    }
}
