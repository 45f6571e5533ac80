using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Transport;

/// <summary>Puts HTTPS (and, with a client CA, client certificate checks) on the coordinator's listen endpoint when TLS is configured.</summary>
internal sealed class TlsSetup(IOptions<TlsOptions> options)
{
    public TlsOptions Options => options.Value;

    /// <summary>Adds HTTPS to <paramref name="listen"/> if TLS is configured; leaves it plaintext otherwise. HTTP/2 stays the only protocol (ALPN h2).</summary>
    public void Apply(ListenOptions listen)
    {
        var tls = options.Value;
        if (!tls.Enabled)
        {
            return;
        }

        var https = new HttpsConnectionAdapterOptions { ServerCertificate = TlsCertificates.LoadServerCertificate(tls) };
        if (tls.Mutual)
        {
            var roots = TlsCertificates.LoadCertificates(tls.ClientCa);

            // Required: refused in the handshake. Allowed: a certificate is asked for and checked if sent; the worker
            // stream then refuses a connection without one (ClientCertificateInterceptor).
            https.ClientCertificateMode = tls.RequireClientCertificateForClients ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => TlsCertificates.ChainsTo(certificate, roots);
        }

        listen.UseHttps(https);
        TlsRecordBuffers.Apply(listen);
    }

    /// <summary>For the interceptor: whether a call on a connection without a client certificate must be refused.</summary>
    public bool WorkersNeedCertificate => options.Value is { Enabled: true, Mutual: true };
}
