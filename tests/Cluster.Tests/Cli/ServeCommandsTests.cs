using System.CommandLine;
using Cluster.Cli.Commands.Serve;

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
    public void Worker_WithoutCoordinator_IsAParseError() =>
        Assert.NotEmpty(new RootCommand { ServeCommands.Worker((_, _) => Task.FromResult(0)) }.Parse(["worker"]).Errors);
}
