using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Cluster.Coordinator.Transport;

/// <summary>
/// Reads and writes a TLS connection's stream through larger buffers than Kestrel's own: Kestrel's HTTPS adapter
/// reads the <see cref="System.Net.Security.SslStream"/> 4 KiB at a time and writes each 4 KiB pipe segment as its own
/// TLS record (and socket write), which made an input stream of a GiB cost a quarter of a million records each way.
/// With 64 KiB buffers a record carries the 16 KiB TLS allows.
/// </summary>
internal static class TlsRecordBuffers
{
    /// <summary>Size of the buffers a read of the TLS stream fills and a write hands to it.</summary>
    public const int BufferBytes = 64 << 10;

    /// <summary>Adds the middleware; call after <c>UseHttps</c>, so that it runs on the decrypted side.</summary>
    public static void Apply(ListenOptions listen) => listen.Use(next => async context =>
    {
        if (context.Features.Get<ISslStreamFeature>()?.SslStream is not { } ssl)
        {
            await next(context);
            return;
        }

        // Kestrel's own pipe over the stream is left unread and unwritten from here on; it has read nothing yet (the
        // handshake reads the socket, not that pipe), so no byte is stranded in it.
        var input = PipeReader.Create(ssl, new StreamPipeReaderOptions(bufferSize: BufferBytes, minimumReadSize: BufferBytes / 4, leaveOpen: true));
        var output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(minimumBufferSize: BufferBytes, leaveOpen: true));
        var original = context.Transport;
        context.Transport = new BufferedTransport(input, output);
        try
        {
            await next(context);
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
            context.Transport = original;
        }
    });

    private sealed class BufferedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
