using Cluster.Cli.Embedded;

namespace Cluster.Tests.Cli;

public sealed class SelfLaunchTests
{
    [Theory]
    [InlineData("/usr/share/dotnet/dotnet")]
    [InlineData("/usr/share/dotnet/dotnet.exe")]
    [InlineData("/opt/DOTNET")]
    public void Resolve_DotnetHost_PrependsEntryAssembly(string processPath)
    {
        var command = SelfLaunch.Resolve(processPath, "/app/cluster.dll", "worker");

        Assert.Equal(processPath, command.FileName);
        Assert.Equal(["/app/cluster.dll", "worker"], command.LeadingArgs);
    }

    [Fact]
    public void Resolve_Apphost_RunsItselfWithVerb()
    {
        var command = SelfLaunch.Resolve("/app/cluster", "/app/cluster.dll", "coordinator");

        Assert.Equal("/app/cluster", command.FileName);
        Assert.Equal(["coordinator"], command.LeadingArgs);
    }

    [Fact]
    public void Resolve_DotnetHostWithoutEntryAssembly_ExplainsAlternative() =>
        Assert.Contains("pass --coordinator", Assert.Throws<InvalidOperationException>(() => SelfLaunch.Resolve("/usr/bin/dotnet", null, "worker")).Message, StringComparison.Ordinal);

    [Fact]
    public void Resolve_UnknownProcessPath_Throws() =>
        Assert.Throws<InvalidOperationException>(() => SelfLaunch.Resolve(null, "/app/cluster.dll", "worker"));
}
