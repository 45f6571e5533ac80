namespace Cluster.IntegrationTests.MultiHost;

/// <summary>A fact that builds hosts with network namespaces; skipped, with one line saying why, where it cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MultiHostFactAttribute : FactAttribute
{
    public MultiHostFactAttribute()
    {
        if (NetnsHosts.Unavailable is { } why)
        {
            Skip = why;
        }
        else if (Transport.TestCertificates.OpenSsl is null)
        {
            Skip = "openssl is not on PATH: the multi-host test makes its certificates with it (.ci/run installs it with apt-get install -y openssl).";
        }
    }
}
