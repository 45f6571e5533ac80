using System.Buffers.Text;

namespace Cluster.Examples.AccessLog;

/// <summary>What the statistics need of one log line.</summary>
/// <param name="Hour">The request's UTC hour, in hours since 0001-01-01.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Bytes">Response bytes sent.</param>
/// <param name="LatencyMs">The request time in milliseconds.</param>
public readonly record struct LogEntry(long Hour, int Status, long Bytes, int LatencyMs);

/// <summary>
/// Reads a line of nginx's <c>combined</c> log format with <c>$request_time</c> appended
/// (<c>log_format timed '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time';</c>):
/// <c>203.0.113.9 - - [27/Nov/2026:13:05:09 +0530] "GET /a HTTP/1.1" 200 5123 "-" "curl/8.5.0" 0.137</c>.
/// nginx writes a <c>"</c> inside a field as <c>\x22</c>, so quotes delimit the fields.
/// </summary>
public static class LogLine
{
    /// <summary>Reads <paramref name="line"/>; false when it is not in the format.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, HourParser hours, out LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(hours);
        entry = default;
        var open = line.IndexOf((byte)'[');
        if (open < 0 || line.Length < open + HourParser.Length + 2 || line[open + HourParser.Length + 1] != (byte)']'
            || !hours.TryParse(line.Slice(open + 1, HourParser.Length), out var hour))
        {
            return false;
        }

        // After the time: "request" status bytes "referer" "agent" request_time.
        var rest = line[(open + HourParser.Length + 2)..];
        var request = rest.IndexOf((byte)'"');
        var end = request < 0 ? -1 : rest[(request + 1)..].IndexOf((byte)'"');
        if (end < 0)
        {
            return false;
        }

        rest = rest[(request + end + 2)..];
        if (rest.Length < 6 || rest[0] != (byte)' ' || !Utf8Parser.TryParse(rest[1..], out int status, out var used) || used != 3 || status < 100
            || rest[4] != (byte)' ')
        {
            return false;
        }

        rest = rest[5..];
        long bytes = 0;
        if (rest[0] == (byte)'-')
        {
            used = 1;
        }
        else if (!Utf8Parser.TryParse(rest, out bytes, out used) || bytes < 0)
        {
            return false;
        }

        if (used >= rest.Length || rest[used] != (byte)' ' || !TryParseMilliseconds(line[(line.LastIndexOf((byte)' ') + 1)..], out var latency))
        {
            return false;
        }

        entry = new LogEntry(hour, status, bytes, latency);
        return true;
    }

    /// <summary>Reads nginx's <c>$request_time</c>, seconds with exactly three decimals (<c>0.137</c>), as whole milliseconds.</summary>
    public static bool TryParseMilliseconds(ReadOnlySpan<byte> field, out int milliseconds)
    {
        milliseconds = 0;
        var dot = field.IndexOf((byte)'.');
        if (dot < 1 || field.Length != dot + 4 || !Utf8Parser.TryParse(field, out int seconds, out var used) || used != dot || seconds > 2_000_000)
        {
            return false;
        }

        var fraction = 0;
        foreach (var digit in field[(dot + 1)..])
        {
            if (!char.IsAsciiDigit((char)digit))
            {
                return false;
            }

            fraction = (fraction * 10) + digit - '0';
        }

        milliseconds = (seconds * 1000) + fraction;
        return true;
    }
}
