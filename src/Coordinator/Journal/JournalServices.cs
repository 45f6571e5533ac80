namespace Cluster.Coordinator.Journal;

/// <summary>Registers the durable journal (a no-op one without a data directory).</summary>
internal static class JournalServices
{
    public static IServiceCollection AddJournal(this IServiceCollection services)
    {
        services.AddSingleton<CoordinatorJournal>();
        services.AddSingleton<JobJournal>();
        services.AddSingleton<JournalRecovery>();
        services.AddSingleton<JournalFaults>();
        return services;
    }
}
