using System.CommandLine;
using Cluster.Cli.Commands.Submit;
using Cluster.Cli.Embedded;

namespace Cluster.Tests.Cli.Embedded;

public sealed class EmbeddedClusterTests
{
    [Fact]
    public void Options_NoThreadsGiven_SharesTheCoresAmongWorkers()
    {
        var options = EmbeddedCluster.Options(new EmbeddedCluster.Settings(Workers: 2, Threads: null, Port: 0));

        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), options.ThreadsPerWorker);
    }

    [Fact]
    public void Options_MoreWorkersThanCores_OneThreadEach()
    {
        var options = EmbeddedCluster.Options(new EmbeddedCluster.Settings(Workers: Environment.ProcessorCount + 3, Threads: null, Port: 0));

        Assert.Equal(1, options.ThreadsPerWorker);
    }

    [Fact]
    public void Options_ThreadsGiven_TakenAsIsAndWorkersRestarted()
    {
        var options = EmbeddedCluster.Options(new EmbeddedCluster.Settings(Workers: 3, Threads: 5, Port: 0));

        Assert.Equal(5, options.ThreadsPerWorker);
        Assert.Equal(3, options.Workers);
        Assert.True(options.RestartWorkers);
    }

    [Fact]
    public void SubmitWorkers_NotGiven_OneWorkerWithAThreadPerCore()
    {
        var options = new SubmitOptions(new TestConsole().Console);
        var parse = new RootCommand { options.Workers }.Parse([]);

        var embedded = EmbeddedCluster.Options(new EmbeddedCluster.Settings(parse.GetValue(options.Workers), Threads: null, Port: 0));

        Assert.Empty(parse.Errors);
        Assert.Equal(1, embedded.Workers);
        Assert.Equal(Environment.ProcessorCount, embedded.ThreadsPerWorker);
    }

    [Fact]
    public void SubmitWorkers_Given_TakenAsIs()
    {
        var options = new SubmitOptions(new TestConsole().Console);

        var parse = new RootCommand { options.Workers }.Parse(["--workers", "3"]);

        Assert.Equal(3, parse.GetValue(options.Workers));
    }

    [Fact]
    public void Options_OneJob_ChildrenWithoutWriteXorExecuteAndLateRecompiles()
    {
        var options = EmbeddedCluster.Options(new EmbeddedCluster.Settings(Workers: 1, Threads: null, Port: 0, OneJob: true));

        foreach (var environment in new[] { options.CoordinatorEnvironment, options.WorkerEnvironment })
        {
            Assert.Equal("0", environment["DOTNET_EnableWriteXorExecute"]);
            Assert.Equal("1000", environment["DOTNET_TC_CallCountThreshold"]);
        }
    }

    [Fact]
    public void Options_NotOneJob_NoExtraEnvironment()
    {
        var options = EmbeddedCluster.Options(new EmbeddedCluster.Settings(Workers: 2, Threads: null, Port: 0));

        Assert.Empty(options.CoordinatorEnvironment);
        Assert.Empty(options.WorkerEnvironment);
    }
}
