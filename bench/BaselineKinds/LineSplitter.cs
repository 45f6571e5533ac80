using System.Globalization;
using Cluster.Jobs;

namespace Cluster.Bench.BaselineKinds;

/// <summary>
/// Splits an input into chunks that start at line starts: an even byte split, each inner boundary moved forward to
/// just after the next '\n'. A '\n' never occurs inside a UTF-8 sequence, so no word or character is cut.
/// </summary>
internal static class LineSplitter
{
    // Auto-chosen chunks are kept at half the payload limit so moving boundaries to line ends rarely overflows it.
    private const int TargetChunkBytes = InputSlice.MaxBytes / 2;
    private const int WindowBytes = 64 * 1024;

    /// <summary>The chunk boundaries: 0, the inner ones in increasing order, then the input length.</summary>
    public static long[] Split(IJobInput input, ChunkingRequest chunking)
    {
        var layout = chunking.SplitCapped(input.Length, TargetChunkBytes, "bytes");
        var boundaries = new List<long> { 0 };
        var window = new byte[WindowBytes];
        for (long i = 1; i < layout.Count; i++)
        {
            var nominal = layout.Range(i).Start;

            // At or before the previous boundary: the next '\n' is the one already found for it.
            if (nominal <= boundaries[^1])
            {
                continue;
            }

            var boundary = NextLineStart(input, nominal - 1, window);
            if (boundary < input.Length)
            {
                boundaries.Add(boundary);
            }
        }

        boundaries.Add(input.Length);
        for (var i = 1; i < boundaries.Count; i++)
        {
            if (boundaries[i] - boundaries[i - 1] > InputSlice.MaxBytes)
            {
                throw new JobParameterException(
                    "input",
                    string.Create(CultureInfo.InvariantCulture, $"has a line of more than {InputSlice.MaxBytes} bytes after byte {boundaries[i - 1]}; wordcount splits on line ends and sends at most that much per chunk"));
            }
        }

        return [.. boundaries];
    }

    private static long NextLineStart(IJobInput input, long position, byte[] window)
    {
        while (position < input.Length)
        {
            var read = input.Read(position, window);
            if (read <= 0)
            {
                break;
            }

            var newline = window.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return position + newline + 1;
            }

            position += read;
        }

        return input.Length;
    }
}
