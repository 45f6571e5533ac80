using System.Globalization;

namespace Cluster.Jobs.Splitting;

/// <summary>Finds chunk boundaries at line starts for <see cref="Splitters.Lines"/>.</summary>
internal static class LineBoundaries
{
    /// <summary>The chunk boundaries: 0, the inner ones in increasing order, then the input length.</summary>
    public static long[] Find(IJobInput input, ChunkingRequest chunking, int maxChunkBytes)
    {
        // Auto-chosen chunks are kept at half the limit so moving boundaries to line ends rarely overflows it.
        var layout = chunking.SplitCapped(input.Length, maxChunkBytes / 2, "bytes");
        var boundaries = new List<long> { 0 };
        for (long i = 1; i < layout.Count; i++)
        {
            var nominal = layout.Range(i).Start;

            // At or before the previous boundary: the next '\n' is the one already found for it.
            if (nominal <= boundaries[^1])
            {
                continue;
            }

            var boundary = LineRanges.LineStartAtOrAfter(input, nominal);
            if (boundary < input.Length)
            {
                boundaries.Add(boundary);
            }
        }

        boundaries.Add(input.Length);
        for (var i = 1; i < boundaries.Count; i++)
        {
            if (boundaries[i] - boundaries[i - 1] > maxChunkBytes)
            {
                throw new JobParameterException(
                    "input",
                    string.Create(CultureInfo.InvariantCulture, $"has a line of more than {maxChunkBytes} bytes after byte {boundaries[i - 1]}; this kind splits on line ends and sends at most that much per chunk"));
            }
        }

        return [.. boundaries];
    }
}
