using System.Globalization;

namespace Cluster.Jobs.Splitting;

/// <summary>
/// Moves a byte range of the input to line starts, on the side that reads it, as Hadoop's line reader does: a range
/// that does not start at offset 0 skips its partial first line (the previous range reads it), and a range reads past
/// its end through the line that crosses it. Every line then falls in exactly one range, whatever the nominal split,
/// and the ranges are the ones <see cref="Splitters.Lines"/> finds on the coordinator for the same nominal split.
/// </summary>
public static class LineRanges
{
    private const int FirstWindowBytes = 8 * 1024;
    private const int LargestWindowBytes = 256 * 1024;

    /// <summary>
    /// The first line start at or after <paramref name="position"/>: 0 for 0, else just after the first <c>'\n'</c> at or
    /// after <c>position - 1</c>, or the input's length when there is none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    public static long LineStartAtOrAfter(IJobInput input, long position)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (position == 0 || position >= input.Length)
        {
            return Math.Min(position, input.Length);
        }

        // Windows grow so that a short line costs one small read and a long one few reads.
        var window = new byte[FirstWindowBytes];
        var at = position - 1;
        while (at < input.Length)
        {
            var read = input.Read(at, window);
            if (read <= 0)
            {
                break;
            }

            var newline = window.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return at + newline + 1;
            }

            at += read;
            if (window.Length < LargestWindowBytes)
            {
                window = new byte[window.Length * 2];
            }
        }

        return input.Length;
    }

    /// <summary>
    /// The lines of <paramref name="nominal"/>: its start and end each moved to <see cref="LineStartAtOrAfter"/>. Empty
    /// when a line crosses the whole range (the range that holds its start reads it).
    /// </summary>
    public static LongRange Align(IJobInput input, LongRange nominal)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = LineStartAtOrAfter(input, nominal.Start);
        var end = nominal.End <= nominal.Start ? start : LineStartAtOrAfter(input, nominal.End);
        return new LongRange(start, Math.Max(start, end));
    }

    /// <summary>
    /// Reads the lines of <paramref name="nominal"/> (see <see cref="Align"/>) with positional reads into a new array.
    /// </summary>
    /// <param name="input">The input.</param>
    /// <param name="nominal">The range as split by byte count.</param>
    /// <param name="maxBytes">The most bytes the lines may come to.</param>
    /// <param name="data">The lines' bytes.</param>
    /// <returns>Where the lines start in the input.</returns>
    /// <exception cref="InvalidDataException">The lines come to more than <paramref name="maxBytes"/>, or the input ended early.</exception>
    public static long Read(IJobInput input, LongRange nominal, int maxBytes, out byte[] data)
    {
        var range = AlignWithin(input, nominal, maxBytes);
        data = new byte[range.Length];
        ReadExactly(input, range.Start, data);
        return range.Start;
    }

    /// <summary><see cref="Align"/>, checked to come to at most <paramref name="maxBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The lines come to more than <paramref name="maxBytes"/>.</exception>
    internal static LongRange AlignWithin(IJobInput input, LongRange nominal, int maxBytes)
    {
        var range = Align(input, nominal);
        return range.Length <= maxBytes
            ? range
            : throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"The lines of bytes [{nominal.Start}, {nominal.End}) run from byte {range.Start} to {range.End}, more than the {maxBytes} bytes a chunk may hold: a line is too long."));
    }

    /// <summary>
    /// Whether <paramref name="input"/> holds a <c>'\n'</c> at or after <paramref name="position"/>: then
    /// <see cref="LineStartAtOrAfter"/> of <c>position + 1</c> is known from these bytes, whatever follows them.
    /// </summary>
    internal static bool HasNewlineAtOrAfter(IJobInput input, long position)
    {
        var window = new byte[FirstWindowBytes];
        for (var at = Math.Max(position, 0); at < input.Length;)
        {
            var read = input.Read(at, window.AsSpan(0, (int)Math.Min(window.Length, input.Length - at)));
            if (read <= 0)
            {
                return false;
            }

            if (window.AsSpan(0, read).Contains((byte)'\n'))
            {
                return true;
            }

            at += read;
            if (window.Length < LargestWindowBytes)
            {
                window = new byte[window.Length * 2];
            }
        }

        return false;
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/> with positional reads.</summary>
    /// <exception cref="InvalidDataException">The input ended before <paramref name="destination"/> was full.</exception>
    public static void ReadExactly(IJobInput input, long offset, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        var done = 0;
        while (done < destination.Length)
        {
            var read = input.Read(offset + done, destination[done..]);
            done += read > 0
                ? read
                : throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture, $"The input ended at byte {offset + done}; {destination.Length - done} more bytes were expected."));
        }
    }
}
