using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.Observability;

/// <summary>A fact that needs Debian's <c>prometheus</c> package (<c>prometheus</c> and <c>promtool</c>); skipped, with one line saying so, where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (ToolProcess.Find("promtool") is null || ToolProcess.Find("prometheus") is null)
        {
            Skip = "prometheus and promtool are not on PATH: the metrics tests check the coordinator with them (.ci/run installs them with apt-get install -y prometheus).";
        }
    }
}
