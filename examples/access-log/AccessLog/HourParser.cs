using System.Buffers.Text;

namespace Cluster.Examples.AccessLog;

/// <summary>
/// Turns nginx's <c>$time_local</c> (<c>27/Nov/2026:13:05:09 +0530</c>) into the UTC hour. Lines of a log come in time
/// order, so the last minute and offset seen are kept and most lines cost one comparison. One per thread.
/// </summary>
public sealed class HourParser
{
    /// <summary>Characters in a <c>$time_local</c>.</summary>
    public const int Length = 26;

    private const int MinuteEnd = 17;
    private const int OffsetStart = 21;

    private readonly byte[] _last = new byte[Length];
    private long _lastHour = -1;

    /// <summary>The UTC hour of <paramref name="time"/> in hours since 0001-01-01; false when it is not a <c>$time_local</c>.</summary>
    public bool TryParse(ReadOnlySpan<byte> time, out long hour)
    {
        if (_lastHour >= 0 && time.Length == Length && time[..MinuteEnd].SequenceEqual(_last.AsSpan(0, MinuteEnd))
            && time[OffsetStart..].SequenceEqual(_last.AsSpan(OffsetStart)))
        {
            hour = _lastHour;
            return true;
        }

        hour = -1;
        if (time.Length != Length || time[2] != (byte)'/' || time[6] != (byte)'/' || time[11] != (byte)':' || time[14] != (byte)':'
            || time[20] != (byte)' ' || (time[21] != (byte)'+' && time[21] != (byte)'-')
            || !TryNumber(time[..2], out var day) || !TryNumber(time[7..11], out var year) || !TryNumber(time[12..14], out var hh)
            || !TryNumber(time[15..17], out var mm) || !TryNumber(time[22..24], out var offsetHours) || !TryNumber(time[24..26], out var offsetMinutes))
        {
            return false;
        }

        var month = MonthOf(time.Slice(3, 3));
        if (month == 0 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hh > 23 || mm > 59 || offsetHours > 23 || offsetMinutes > 59)
        {
            return false;
        }

        var offset = ((offsetHours * 60) + offsetMinutes) * (time[21] == (byte)'-' ? -1 : 1);
        var utcMinutes = (new DateTime(year, month, day, hh, mm, 0, DateTimeKind.Utc).Ticks / TimeSpan.TicksPerMinute) - offset;
        if (utcMinutes < 0)
        {
            return false;
        }

        hour = _lastHour = utcMinutes / 60;
        time.CopyTo(_last);
        return true;
    }

    private static int MonthOf(ReadOnlySpan<byte> name)
    {
        var months = "JanFebMarAprMayJunJulAugSepOctNovDec"u8;
        for (var i = 0; i < 12; i++)
        {
            if (name.SequenceEqual(months.Slice(i * 3, 3)))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool TryNumber(ReadOnlySpan<byte> digits, out int value) =>
        Utf8Parser.TryParse(digits, out value, out var used) && used == digits.Length && char.IsAsciiDigit((char)digits[0]);
}
