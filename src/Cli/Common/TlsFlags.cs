using System.CommandLine;
using Cluster.Client;

namespace Cluster.Cli.Common;

/// <summary>
/// <c>--ca FILE</c>, <c>--client-cert FILE</c>, <c>--client-key FILE</c>: how a verb that talks to a coordinator
/// trusts an <c>https://</c> one and which certificate it presents for mutual TLS. Created fresh for each verb.
/// </summary>
internal sealed class TlsFlags
{
    public Option<string?> Ca { get; } = new("--ca") { Description = "PEM file of the CA that signed an https:// coordinator's certificate (default: the system's trusted roots)", HelpName = "FILE" };

    public Option<string?> ClientCert { get; } = new("--client-cert") { Description = "PEM client certificate for a coordinator that requires one (mutual TLS); needs --client-key", HelpName = "FILE" };

    public Option<string?> ClientKey { get; } = new("--client-key") { Description = "PEM private key of --client-cert", HelpName = "FILE" };

    public IReadOnlyList<Option> All => [Ca, ClientCert, ClientKey];

    /// <summary>Client settings carrying the files given on the command line, and the <paramref name="token"/> to send.</summary>
    public ClusterClientOptions Read(ParseResult parse, string? token = null) => new()
    {
        Token = token,
        CaCertificateFile = parse.GetValue(Ca),
        ClientCertificateFile = parse.GetValue(ClientCert),
        ClientKeyFile = parse.GetValue(ClientKey),
    };
}
