using System.CommandLine;
using Cluster.Cli;
using Cluster.Cli.Commands.Submit;
using Cluster.Contracts.V1;

namespace Cluster.Tests.Cli.Submit;

public sealed class SubmitParsingTests
{
    private static readonly string TestKinds = typeof(CliTestSumKind).Assembly.Location;

    private static readonly KindInfo SumKind = LocalKinds.Describe([new CliTestSumKind()])[0];

    [Fact]
    public void KindBinding_IntOptionText_TypedAsInt()
    {
        var (binding, parse) = Parse("--count 5 --scale 2 --verbose --label x");

        Assert.Empty(parse.Errors);
        var values = binding.ReadTyped(parse);
        Assert.Equal(ParameterValue.ValueOneofCase.IntValue, values["count"].ValueCase);
        Assert.Equal(5L, values["count"].IntValue);
        Assert.Equal(2.0, values["scale"].DoubleValue);
        Assert.True(values["verbose"].BoolValue);
        Assert.Equal("x", values["label"].StringValue);
    }

    [Fact]
    public void KindBinding_OmittedOptions_LeftToCoordinatorDefaults()
    {
        var (binding, parse) = Parse("--count 1");

        Assert.Equal(["count"], binding.ReadTyped(parse).Keys);
    }

    [Fact]
    public void KindBinding_BadValue_ErrorNamesOption()
    {
        var (_, parse) = Parse("--count lots");

        Assert.Equal("--count must be a whole number, not 'lots'.", Assert.Single(parse.Errors).Message);
    }

    [Fact]
    public void KindBinding_RequiredMissing_Error()
    {
        var (_, parse) = Parse("--scale 1");

        Assert.Contains("--count", Assert.Single(parse.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KindBinding_NameClashingWithSharedOption_OnlyThroughParam()
    {
        var (binding, parse) = Parse("--count 1 --param workers=7", reserved: new HashSet<string> { "--workers" });
        var request = Request(binding, parse);

        var spec = request.ToSpec(SumKind);

        Assert.DoesNotContain(binding.Command.Options, o => o.Name == "--workers");
        Assert.Equal(7L, spec.Parameters["workers"].IntValue);
        Assert.Equal(1L, spec.Parameters["count"].IntValue);
    }

    [Fact]
    public void ToSpec_UnknownKindParams_TypedByCoordinatorDeclaration()
    {
        var binding = new KindBinding(new KindInfo { Name = "remote" }, known: false, new HashSet<string>());
        var parse = new RootCommand { binding.Command }.Parse(["remote", "--param", "count=5", "--param", "scale=0.25"]);
        var remote = new KindInfo { Name = "remote", Parameters = { SumKind.Parameters } };

        var spec = Request(binding, parse).ToSpec(remote);

        Assert.Equal(5L, spec.Parameters["count"].IntValue);
        Assert.Equal(0.25, spec.Parameters["scale"].DoubleValue);
    }

    [Fact]
    public void ToSpec_ParamOfWrongType_ErrorNamesParam()
    {
        var binding = new KindBinding(new KindInfo { Name = "remote" }, known: false, new HashSet<string>());
        var parse = new RootCommand { binding.Command }.Parse(["remote", "--param", "count=five"]);

        var error = Assert.Throws<Cluster.Client.ParameterFormatException>(() => Request(binding, parse).ToSpec(SumKind));

        Assert.Equal("--param count must be a whole number, not 'five'.", error.Message);
    }

    [Fact]
    public async Task RunAsync_BadKindOption_ExitsTwoWithOneLine()
    {
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["submit", "clitest-sum", "--jobs", TestKinds, "--count", "abc"], console.Console);

        Assert.Equal(2, code);
        Assert.StartsWith("error: --count must be a whole number, not 'abc'.", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, console.Out.ToString());
    }

    [Fact]
    public async Task RunAsync_InputKindWithoutInput_ExitsTwo()
    {
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["submit", "clitest-input", "--jobs", TestKinds], console.Console);

        Assert.Equal(2, code);
        Assert.Contains("--input", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InputAndInputUrl_ExitsTwoSayingTheyExcludeEachOther()
    {
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["submit", "clitest-input", "--jobs", TestKinds, "--input", TestKinds, "--input-url", "file:///tmp/x"], console.Console);

        Assert.Equal(2, code);
        Assert.Contains("--input and --input-url exclude each other", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToSpec_InputUrl_CarriedInTheSpec()
    {
        var (binding, parse) = Parse("--count 3 --input-url file:///data/input.txt");

        var spec = (Request(binding, parse) with { InputUrl = binding.ReadInputUrl(parse) }).ToSpec(SumKind);

        Assert.Equal("file:///data/input.txt", spec.InputUrl);
    }

    [Fact]
    public async Task RunAsync_UnknownKindWithoutCoordinator_ExitsTwoListingKnownKinds()
    {
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["submit", "nosuchkind", "--jobs", TestKinds], console.Console);

        Assert.Equal(2, code);
        Assert.Contains("Unknown job kind 'nosuchkind'", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("clitest-sum", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ChunksAndChunkSize_ExitsTwo()
    {
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["submit", "clitest-sum", "--jobs", TestKinds, "--count", "1", "--chunks", "2", "--chunk-size", "3"], console.Console);

        Assert.Equal(2, code);
        Assert.Equal("error: --chunks and --chunk-size exclude each other; give one." + Environment.NewLine, console.Error.ToString());
    }

    [Fact]
    public void Help_TypedKind_ShowsRangesDefaultsAndDescriptions()
    {
        var console = new TestConsole();
        var output = new StringWriter();
        var parse = CliApp.CreateRoot(console.Console, ["submit", "typedtest-squares", "--jobs", TestKinds]).Parse(["submit", "typedtest-squares", "--help"]);

        parse.Invoke(new InvocationConfiguration { Output = output });

        var help = output.ToString();
        Assert.Contains("--to <int>", help, StringComparison.Ordinal);
        Assert.Contains("(range: 1..3000000)", help, StringComparison.Ordinal);
        Assert.Contains("--modulus <int>", help, StringComparison.Ordinal);
        Assert.Contains("(range: 1..1000; default: 1000)", help, StringComparison.Ordinal);
        Assert.Contains("First number", help, StringComparison.Ordinal);
        Assert.Contains("--block-size", CliHelp("typedtest-blockdigest"), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_BundleFolder_ShowsTheBundleKindsParameters()
    {
        var folder = Cluster.Tests.Bundles.TestBundleFiles.Folder("Sum.V2");
        var output = new StringWriter();

        CliApp.CreateRoot(new TestConsole().Console, ["submit", "bundle-sum", "--jobs", folder]).Parse(["submit", "bundle-sum", "--jobs", folder, "--help"])
            .Invoke(new InvocationConfiguration { Output = output });

        var help = output.ToString();
        Assert.Contains("this is version 2", help, StringComparison.Ordinal);
        Assert.Contains("--n <int>", help, StringComparison.Ordinal);
        Assert.Contains("Numbers to add, from 0. (default: 100000)", help, StringComparison.Ordinal);
        Assert.Contains("--chunk-ms <int>", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_TypedKind_CarriesBoundsAsText()
    {
        var info = LocalKinds.Describe([new Cluster.Tests.Jobs.Typed.SquaresKind()])[0];

        var modulus = info.Parameters.Single(p => p.Name == "modulus");
        Assert.Equal(("1", "1000", "1000", "int"), (modulus.Minimum, modulus.Maximum, modulus.DefaultValue, modulus.Type));
        var from = info.Parameters.Single(p => p.Name == "from");
        Assert.Equal((string.Empty, string.Empty, true), (from.Minimum, from.Maximum, from.Required));
    }

    [Fact]
    public void Help_KindOptions_ShowTypeDescriptionAndDefault()
    {
        var console = new TestConsole();
        var output = new StringWriter();
        var parse = CliApp.CreateRoot(console.Console, ["submit", "clitest-sum", "--jobs", TestKinds]).Parse(["submit", "clitest-sum", "--help"]);

        parse.Invoke(new InvocationConfiguration { Output = output });

        var help = output.ToString();
        Assert.Contains("--count <int>", help, StringComparison.Ordinal);
        Assert.Contains("Factor (default: 1.5)", help, StringComparison.Ordinal);
        Assert.Contains("--coordinator", help, StringComparison.Ordinal);
    }

    private static (KindBinding Binding, ParseResult Parse) Parse(string line, IReadOnlySet<string>? reserved = null)
    {
        var binding = new KindBinding(SumKind, known: true, reserved ?? new HashSet<string>());
        var parse = new RootCommand { binding.Command }.Parse(["clitest-sum", .. line.Split(' ')]);
        return (binding, parse);
    }

    private static SubmitRequest Request(KindBinding binding, ParseResult parse) => new(
        binding.Kind, binding.Known, binding.ReadTyped(parse), binding.ReadRaw(parse), null, null, null, null, null, false, null, false,
        new Cluster.Cli.Embedded.EmbeddedCluster.Settings(2, null, 0));

    private static string CliHelp(string kind)
    {
        var output = new StringWriter();
        CliApp.CreateRoot(new TestConsole().Console, ["submit", kind, "--jobs", TestKinds]).Parse(["submit", kind, "--help"]).Invoke(new InvocationConfiguration { Output = output });
        return output.ToString();
    }
}
