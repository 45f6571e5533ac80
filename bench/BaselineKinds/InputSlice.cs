using System.Buffers;
using Cluster.Jobs;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Copies part of a job's input straight into a payload buffer.</summary>
internal static class InputSlice
{
    /// <summary>The largest payload or output one chunk carries: sha256's largest block, a mandelbrot band of rows.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>Writes bytes [offset, offset + length) of <paramref name="input"/>; reads may return short, so it loops.</summary>
    public static void Write(IJobInput input, long offset, int length, IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(length)[..length];
        var done = 0;
        while (done < length)
        {
            var read = input.Read(offset + done, span[done..]);
            if (read <= 0)
            {
                throw new EndOfStreamException($"The input ended at byte {offset + done}; {length - done} more were expected.");
            }

            done += read;
        }

        writer.Advance(length);
    }
}
