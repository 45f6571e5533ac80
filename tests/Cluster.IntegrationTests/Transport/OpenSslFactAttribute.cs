namespace Cluster.IntegrationTests.Transport;

/// <summary>A fact that needs the <c>openssl</c> binary; skipped, with one line saying so, where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class OpenSslFactAttribute : FactAttribute
{
    public OpenSslFactAttribute()
    {
        if (TestCertificates.OpenSsl is null)
        {
            Skip = "openssl is not on PATH: the TLS tests make their certificates with it (.ci/run installs it with apt-get install -y openssl).";
        }
    }
}
