namespace Cluster.IntegrationTests.MultiHost;

/// <summary>A fact that builds hosts with network namespaces; skipped, with one line saying why, where it cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MultiHostFactAttribute : FactAttribute
{
    /// <summary>The test checks token refusals: skipped where this build has no authentication (no client token).</summary>
    public bool NeedsTokens
    {
        get => field;
        set
        {
            field = value;
            if (value && Skip is null && typeof(Cluster.Client.ClusterClientOptions).GetProperty("Token") is null)
            {
                Skip = "This build has no authentication (ClusterClientOptions.Token): the token refusals cannot be tested.";
            }
        }
    }

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
