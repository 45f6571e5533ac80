using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Tests.Client;

public sealed class JobSpecsTests
{
    private static readonly KindInfo Kind = new()
    {
        Name = "sum",
        Parameters =
        {
            new ParameterInfo { Name = "count", Type = "int", Required = true },
            new ParameterInfo { Name = "scale", Type = "double" },
        },
    };

    [Fact]
    public void Create_TypedValues_FillsParameters()
    {
        var spec = JobSpecs.Create("sum", [new("count", 5), new("scale", 0.5)]);

        Assert.Equal("sum", spec.Kind);
        Assert.Equal(5L, spec.Parameters["count"].IntValue);
        Assert.Equal(0.5, spec.Parameters["scale"].DoubleValue);
    }

    [Fact]
    public void TypeAll_TextByDeclaration_TypesEachValue()
    {
        var typed = JobSpecs.TypeAll(Kind, [new("count", "5"), new("scale", "2")], n => "--" + n);

        Assert.Equal(ParameterValue.ValueOneofCase.IntValue, typed["count"].ValueCase);
        Assert.Equal(5L, typed["count"].IntValue);
        Assert.Equal(ParameterValue.ValueOneofCase.DoubleValue, typed["scale"].ValueCase);
        Assert.Equal(2.0, typed["scale"].DoubleValue);
    }

    [Fact]
    public void TypeAll_UnknownName_ErrorListsKnownParameters()
    {
        var error = Assert.Throws<ParameterFormatException>(() => JobSpecs.TypeAll(Kind, [new("cuont", "5")], n => "--param " + n));

        Assert.Equal("--param cuont is not a parameter of kind 'sum' (known: count, scale).", error.Message);
    }

    [Fact]
    public void TypeAll_BadValue_ErrorNamesParameter()
    {
        var error = Assert.Throws<ParameterFormatException>(() => JobSpecs.TypeAll(Kind, [new("count", "many")], n => "--" + n));

        Assert.Equal("--count must be a whole number, not 'many'.", error.Message);
    }

    [Theory]
    [InlineData("a=1", "a", "1")]
    [InlineData("expr=x=y", "expr", "x=y")]
    [InlineData("empty=", "empty", "")]
    public void SplitAssignment_NameEqualsValue_Splits(string text, string name, string value) =>
        Assert.Equal(new KeyValuePair<string, string>(name, value), JobSpecs.SplitAssignment(text, "--param"));

    [Theory]
    [InlineData("novalue")]
    [InlineData("=1")]
    public void SplitAssignment_Malformed_ErrorShowsExpectedForm(string text) =>
        Assert.Equal($"--param takes name=value, not '{text}'.", Assert.Throws<ParameterFormatException>(() => JobSpecs.SplitAssignment(text, "--param")).Message);
}
