using System.Net;
using System.Net.Http.Headers;

namespace Cluster.Tests.Hosting.Inputs;

/// <summary>An HTTP resource in memory that answers range requests as a static file server does, with failures queued on demand.</summary>
internal sealed class FakeRangeServer(byte[] content, string etag) : HttpMessageHandler
{
    /// <summary>Statuses answered to the next requests, in order, before the resource is served again.</summary>
    public Queue<HttpStatusCode> Failures { get; } = new();

    /// <summary>The resource's bytes; replace to change it.</summary>
    public byte[] Content { get; set; } = content;

    /// <summary>The entity tag sent with every answer; empty sends none.</summary>
    public string ETag { get; set; } = etag;

    /// <summary>Whether to ignore Range headers and send the whole resource, as a server without range support does.</summary>
    public bool IgnoresRanges { get; set; }

    public int Requests { get; private set; }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (Failures.TryDequeue(out var failure))
        {
            return new HttpResponseMessage(failure);
        }

        var range = request.Headers.Range?.Ranges.Single();
        if (IgnoresRanges || range is null)
        {
            return WithTag(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Content) });
        }

        var from = range.From!.Value;
        if (from >= Content.Length)
        {
            var unsatisfiable = new HttpResponseMessage(HttpStatusCode.RequestedRangeNotSatisfiable) { Content = new ByteArrayContent([]) };
            unsatisfiable.Content.Headers.ContentRange = new ContentRangeHeaderValue(Content.Length);
            return WithTag(unsatisfiable);
        }

        var to = Math.Min(range.To!.Value, Content.Length - 1);
        var partial = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(Content, (int)from, (int)(to - from + 1)) };
        partial.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, Content.Length);
        return WithTag(partial);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    private HttpResponseMessage WithTag(HttpResponseMessage response)
    {
        if (ETag.Length > 0)
        {
            response.Headers.ETag = EntityTagHeaderValue.Parse(ETag);
        }

        return response;
    }
}
