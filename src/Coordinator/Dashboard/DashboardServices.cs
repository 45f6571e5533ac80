using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dashboard;

/// <summary>Registers the web dashboard: its settings (validated at start-up), the timelines and the snapshot builder.</summary>
internal static class DashboardServices
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        services.AddSingleton<TimelineBook>();
        services.AddSingleton<LongChunks>();
        services.AddSingleton<DashboardSnapshot>();
        services.AddSingleton<DashboardStreams>();
        return services;
    }
}
