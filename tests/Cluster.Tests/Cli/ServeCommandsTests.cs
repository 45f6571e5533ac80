using System.CommandLine;
using Cluster.Cli.Commands.Serve;
using Cluster.Coordinator;
using Cluster.Hosting;
using Cluster.Worker;

namespace Cluster.Tests.Cli;

public sealed class ServeCommandsTests
{
    [Fact]
    public async Task Coordinator_OptionsAndConfiguration_PassedThrough()
    {
        string[]? received = null;
        var command = ServeCommands.Coordinator((args, _) =>
        {
            received = args;
            return Task.FromResult(0);
        });

        var code = await new RootCommand { command }
            .Parse(["coordinator", "--port", "0", "--exit-with-parent", "--Scheduler:LeaseMs=2000"])
            .InvokeAsync();

        Assert.Equal(0, code);
        Assert.Equal(["--port", "0", "--exit-with-parent", "--Scheduler:LeaseMs=2000"], received!);
    }

    [Fact]
    public async Task Worker_GivenOptionsOnly_PassedThrough()
    {
        string[]? received = null;
        var command = ServeCommands.Worker((args, _) =>
        {
            received = args;
            return Task.FromResult(0);
        });

        await new RootCommand { command }
            .Parse(["worker", "--coordinator", "http://127.0.0.1:7400", "--threads", "2", "--cpus", "0,1", "--id", "w1"])
            .InvokeAsync();

        Assert.Equal(["--coordinator", "http://127.0.0.1:7400", "--threads", "2", "--cpus", "0,1", "--id", "w1"], received!);
    }

    [Fact]
    public async Task Coordinator_SecurityOptions_PassedThroughAsTheCoordinatorSpellsThem()
    {
        var received = await CoordinatorArgsAsync(NoState, "--host", "0.0.0.0", "--tokens", "t", "--insecure", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--client-ca", "ca.pem");

        Assert.Equal(["--host", "0.0.0.0", "--tokens", "t", "--insecure", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--client-ca", "ca.pem", "--data-dir", "/home/u/.local/state/cluster/coordinator"], received);
    }

    [Fact]
    public async Task Coordinator_NoDataDir_PerUserStateDirectoryOfXdgStateHome()
    {
        var received = await CoordinatorArgsAsync(name => name == "XDG_STATE_HOME" ? "/var/state/u" : NoState(name), "--port", "7400");

        Assert.Equal(["--port", "7400", "--data-dir", "/var/state/u/cluster/coordinator"], received);
    }

    [Fact]
    public async Task Coordinator_RelativeXdgStateHome_IgnoredAsTheSpecificationSays()
    {
        var received = await CoordinatorArgsAsync(name => name == "XDG_STATE_HOME" ? "state" : NoState(name));

        Assert.Equal(["--data-dir", "/home/u/.local/state/cluster/coordinator"], received);
    }

    [Theory]
    [InlineData("--data-dir", "/srv/cluster")]
    [InlineData("--Coordinator:DataDir=")]
    [InlineData("--exit-with-parent")]
    public async Task Coordinator_DataDirGivenOrStartedByAParent_NoDefaultAdded(params string[] given)
    {
        var received = await CoordinatorArgsAsync(NoState, given);

        Assert.Equal(given, received);
    }

    [Fact]
    public async Task Worker_SecurityOptions_PassedThroughAsTheWorkerSpellsThem()
    {
        string[]? received = null;
        var command = ServeCommands.Worker((args, _) =>
        {
            received = args;
            return Task.FromResult(0);
        });

        await new RootCommand { command }
            .Parse(["worker", "--coordinator", "https://h:7400", "--token-file", "w.token", "--ca", "ca.pem", "--client-cert", "c.pem", "--client-key", "k.pem"])
            .InvokeAsync();

        Assert.Equal(["--coordinator", "https://h:7400", "--token-file", "w.token", "--ca", "ca.pem", "--client-cert", "c.pem", "--client-key", "k.pem"], received!);
    }

    [Fact]
    public void Coordinator_Help_ListsEverySwitchTheCoordinatorAccepts()
    {
        var listed = VisibleOptionNames(ServeCommands.Coordinator((_, _) => Task.FromResult(0)));

        Assert.All(CoordinatorApp.SwitchMappings.Keys.Append(HostingExtensions.InsecureFlag), name => Assert.Contains(name, listed));
    }

    [Fact]
    public void Worker_Help_ListsEverySwitchTheWorkerAccepts()
    {
        var listed = VisibleOptionNames(ServeCommands.Worker((_, _) => Task.FromResult(0)));

        Assert.All(WorkerApp.SwitchMappings.Keys, name => Assert.Contains(name, listed));
    }

    [Theory]
    [InlineData("coordinator", "--tokens", "--insecure", "--tls-cert", "--tls-key", "--client-ca")]
    [InlineData("worker", "--token-file", "--ca", "--client-cert", "--client-key", "CLUSTER_TOKEN")]
    public async Task Help_ServeVerb_PrintsTheSecurityOptions(string verb, params string[] expected)
    {
        var output = new StringWriter();
        var root = new RootCommand { ServeCommands.Coordinator((_, _) => Task.FromResult(0)), ServeCommands.Worker((_, _) => Task.FromResult(0)) };

        await root.Parse([verb, "--help"]).InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.All(expected, text => Assert.Contains(text, output.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Worker_WithoutCoordinator_IsAParseError() =>
        Assert.NotEmpty(new RootCommand { ServeCommands.Worker((_, _) => Task.FromResult(0)) }.Parse(["worker"]).Errors);

    private static HashSet<string> VisibleOptionNames(Command command) =>
        [.. command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))];

    private static string? NoState(string name) => name == "HOME" ? "/home/u" : null;

    private static async Task<string[]> CoordinatorArgsAsync(Func<string, string?> environment, params string[] args)
    {
        string[]? received = null;
        var command = ServeCommands.Coordinator(
            (a, _) =>
            {
                received = a;
                return Task.FromResult(0);
            },
            environment);

        Assert.Equal(0, await new RootCommand { command }.Parse(["coordinator", .. args]).InvokeAsync());
        return received!;
    }
}
