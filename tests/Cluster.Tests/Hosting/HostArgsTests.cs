using Cluster.Coordinator;
using Cluster.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Tests.Hosting;

/// <summary>
/// <c>HostingExtensions.HostArgs</c> in the real coordinator and worker hosts: <c>appsettings.json</c> is read but not
/// watched (the watcher puts an inotify watch on every directory under the current one), unless asked for.
/// </summary>
public sealed class HostArgsTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public void Build_WorkerHost_SettingsFileWatchedOnlyWhenAskedFor(string? reload, bool expected)
    {
        using var host = WorkerApp.Build(["--coordinator", "http://127.0.0.1:1", .. reload is null ? [] : new[] { $"--hostBuilder:reloadConfigOnChange={reload}" }]);

        AssertSettingsFilesReload((IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>(), expected);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public async Task Build_CoordinatorHost_SettingsFileWatchedOnlyWhenAskedFor(string? reload, bool expected)
    {
        await using var app = CoordinatorApp.Build(["--port", "0", .. reload is null ? [] : new[] { $"--hostBuilder:reloadConfigOnChange={reload}" }]);

        AssertSettingsFilesReload((IConfigurationRoot)app.Configuration, expected);
    }

    private static void AssertSettingsFilesReload(IConfigurationRoot configuration, bool expected)
    {
        var files = configuration.Providers.OfType<JsonConfigurationProvider>().Select(p => p.Source).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(expected, f.ReloadOnChange));
    }
}
