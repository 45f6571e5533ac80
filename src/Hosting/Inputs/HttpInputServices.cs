using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Hosting.Inputs;

/// <summary>Registers the process's one <see cref="HttpInputSource"/>, its settings bound from a section and checked at start-up.</summary>
public static class HttpInputServices
{
    /// <summary>
    /// Binds <see cref="HttpInputSettings"/> from <paramref name="section"/> (after <paramref name="defaults"/>, which set
    /// this process's own defaults), validates them on start, and registers the source that reads with them.
    /// </summary>
    public static IServiceCollection AddHttpInput(this IServiceCollection services, IConfiguration configuration, string section, Action<HttpInputSettings>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<HttpInputSettings>();
        if (defaults is not null)
        {
            options.Configure(defaults);
        }

        options.Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpInputSettings>>(new HttpInputSettingsValidator(section));
        services.AddSingleton(provider => new HttpInputSource(provider.GetRequiredService<IOptions<HttpInputSettings>>().Value with
        {
            TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
        }));
        return services;
    }
}
