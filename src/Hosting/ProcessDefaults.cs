using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Hosting;

/// <summary>What the coordinator and worker processes set up alike: configuration sources, logging, and start-up errors.</summary>
public static class ProcessDefaults
{
    /// <summary>
    /// Adds <c>CLUSTER_</c>-prefixed environment variables and the command line (with short switches such as
    /// <c>--port</c>) on top of appsettings.json; later sources win. Also configures single-line console logs on
    /// standard error, leaving standard output to the announcement lines that parents parse.
    /// </summary>
    public static void Configure(IHostApplicationBuilder builder, IReadOnlyList<string> args, IDictionary<string, string> switchMappings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddEnvironmentVariables("CLUSTER_");
        builder.Configuration.AddCommandLine(HostingExtensions.WithoutFlags(args), switchMappings);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Services.AddParentWatchIfRequested(args);
    }

    /// <summary>Runs a process body, turning start-up failures into one line on standard error and an exit code (2: bad settings, 1: other).</summary>
    public static async Task<int> RunAsync(string role, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"error: invalid {role} settings: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"error: the {role} could not start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
