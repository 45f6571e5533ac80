using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Cluster.Hosting.Inputs;

/// <summary>
/// Reads inputs by reference over HTTP(S) with range requests (<c>Range: bytes=A-B</c>, answered <c>206</c>): the
/// coordinator's probe of the length and entity tag, and the workers' reads of their chunks' ranges, each checked
/// against what the probe saw. Transient failures are retried with exponential backoff and jitter (Polly); a changed
/// length or entity tag, a server that ignores ranges, or a missing resource is not.
/// </summary>
public sealed class HttpInputSource : IDisposable
{
    private static readonly HashSet<HttpStatusCode> Transient =
    [
        HttpStatusCode.RequestTimeout, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>
    /// Reads through a pooled client of its own (connections renewed every 5 minutes, for DNS changes), retrying as
    /// <paramref name="settings"/> say; disposing the source disposes the client.
    /// </summary>
    public HttpInputSource(HttpInputSettings settings)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan }, settings) =>
        _ownsClient = true;

    /// <summary>Reads through <paramref name="client"/> (which the caller keeps), retrying as <paramref name="settings"/> say.</summary>
    public HttpInputSource(HttpClient client, HttpInputSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        var builder = new ResiliencePipelineBuilder { TimeProvider = settings.TimeProvider };
        if (settings.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>(e => e is not HttpInputChangedException)
                    .Handle<TimeoutRejectedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxRetryAttempts = settings.Retries,
                Delay = settings.RetryDelay,
                MaxDelay = settings.RetryMaxDelay,
            });
        }

        _pipeline = builder.AddTimeout(settings.AttemptTimeout).Build();
    }

    /// <summary>The resource's length and entity tag, from a request for its first byte (which also shows that the server answers ranges).</summary>
    /// <exception cref="HttpInputChangedException">The server does not answer range requests, or answered an error.</exception>
    /// <exception cref="HttpRequestException">It could not be reached, after the retries.</exception>
    public async Task<HttpInputInfo> ProbeAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return await _pipeline.ExecuteAsync(
            async ct =>
            {
                using var request = RangeRequest(uri, 0, 0);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                var range = response.Content.Headers.ContentRange;
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && range?.Length is { } empty)
                {
                    return new HttpInputInfo(empty, ETagOf(response));
                }

                Check(uri, response);
                return range is { Unit: "bytes", Length: { } length }
                    ? new HttpInputInfo(length, ETagOf(response))
                    : throw new HttpInputChangedException($"{uri} answered a range request without the resource's length (no Content-Range with a length).");
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads <c>destination.Length</c> bytes at <paramref name="offset"/> with one range request (retried), after
    /// checking that the resource still has <paramref name="expected"/>'s length and entity tag.
    /// </summary>
    /// <exception cref="HttpInputChangedException">The resource changed, or is gone, or its server stopped answering ranges.</exception>
    /// <exception cref="HttpRequestException">It could not be read, after the retries.</exception>
    public void ReadRange(Uri uri, HttpInputInfo expected, long offset, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(expected);
        if (destination.IsEmpty)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(destination.Length);
        try
        {
            var state = (Source: this, Uri: uri, Expected: expected, Offset: offset, Buffer: buffer, Count: destination.Length);
            _pipeline.Execute(static (s, ct) => s.Source.ReadOnce(s.Uri, s.Expected, s.Offset, s.Buffer.AsSpan(0, s.Count), ct), state);
            buffer.AsSpan(0, destination.Length).CopyTo(destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadOnce(Uri uri, HttpInputInfo expected, long offset, Span<byte> destination, CancellationToken cancellationToken)
    {
        var last = offset + destination.Length - 1;
        using var request = RangeRequest(uri, offset, last);
        using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw Changed(uri, expected, $"bytes {offset}-{last} are past its end now ({Length(response)} bytes)");
        }

        Check(uri, response);
        var range = response.Content.Headers.ContentRange;
        if (range?.Length != expected.Length)
        {
            throw Changed(uri, expected, $"it is {range?.Length?.ToString(CultureInfo.InvariantCulture) ?? "of unknown length"} bytes long now");
        }

        if (expected.ETag.Length > 0 && ETagOf(response) != expected.ETag)
        {
            throw Changed(uri, expected, $"its ETag is {(ETagOf(response) is { Length: > 0 } tag ? tag : "gone")} now");
        }

        if (range.From != offset || range.To != last)
        {
            throw new HttpInputChangedException($"{uri} answered bytes {range.From}-{range.To} to a request for bytes {offset}-{last}.");
        }

        using var body = response.Content.ReadAsStream(cancellationToken);
        var read = body.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (read < destination.Length)
        {
            // A cut connection: transient, retried.
            throw new IOException($"{uri} sent {read} of the {destination.Length} bytes of range {offset}-{last}.");
        }
    }

    private static HttpRequestMessage RangeRequest(Uri uri, long from, long to)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Range = new RangeHeaderValue(from, to);
        return request;
    }

    /// <summary>Throws for anything but a partial answer: transient statuses to be retried, the rest as a sentence.</summary>
    private static void Check(Uri uri, HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            return;
        }

        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        throw Transient.Contains(response.StatusCode)
            ? new HttpRequestException($"{uri} answered {status}.", null, response.StatusCode)
            : new HttpInputChangedException(response.StatusCode == HttpStatusCode.OK
                ? $"{uri} does not answer range requests (it sent the whole resource, 200 OK, to a request for a range); serve it from a server that does, or upload it."
                : $"{uri} answered {status} to a range request.");
    }

    private static HttpInputChangedException Changed(Uri uri, HttpInputInfo expected, string now) => new(
        $"The input at {uri} changed after the job was submitted: {now}, but it was {expected.Length} bytes long{(expected.ETag.Length > 0 ? $" with ETag {expected.ETag}" : string.Empty)}; resubmit the job to read it as it is now.");

    private static string Length(HttpResponseMessage response) =>
        response.Content.Headers.ContentRange?.Length?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString() ?? string.Empty;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
