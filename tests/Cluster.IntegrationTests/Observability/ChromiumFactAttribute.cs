using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.Observability;

/// <summary>A fact that needs Debian's <c>chromium</c>; skipped, with one line saying so, where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Find() is null)
        {
            Skip = "chromium is not on PATH: the dashboard test drives it over the DevTools protocol (.ci/run installs it with apt-get install -y chromium).";
        }
    }
}
