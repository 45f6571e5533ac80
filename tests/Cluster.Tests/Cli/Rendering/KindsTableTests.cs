using Cluster.Cli.Commands.Submit;
using Cluster.Cli.Rendering;
using Cluster.Jobs.BuiltIn.Pi;
using Cluster.Jobs.BuiltIn.Sha256;

namespace Cluster.Tests.Cli.Rendering;

public sealed class KindsTableTests
{
    [Fact]
    public void Kinds_TypedBuiltIns_ShowTypeRequiredDefaultAndRange()
    {
        var console = new TestConsole();
        console.Console.Tables.Profile.Width = 250;

        console.Console.Tables.Write(Tables.Kinds(LocalKinds.Describe([new PiKind(), new Sha256Kind()])));

        var text = console.Out.ToString();
        Assert.Contains("--samples <int> (required) in >= 1", text, StringComparison.Ordinal);
        Assert.Contains("--seed <int> = 0", text, StringComparison.Ordinal);
        Assert.Contains("--block-size <int> = 4194304 in 1..16777216", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_FromABundle_ShowTheBundlesShortIdAndOthersADash()
    {
        var console = new TestConsole();
        console.Console.Tables.Profile.Width = 250;
        var kinds = LocalKinds.Describe([new PiKind(), new Sha256Kind()]);
        kinds[1].BundleId = new string('b', 64);

        console.Console.Tables.Write(Tables.Kinds(kinds));

        var text = console.Out.ToString();
        Assert.Matches(@"(?m)^\s*pi\s+-\s+no\s", text);
        Assert.Matches(@"(?m)^\s*sha256\s+bbbbbbbbbbbb\s+yes\s", text);
        Assert.DoesNotContain(new string('b', 13), text, StringComparison.Ordinal);
    }
}
