using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Tests.Client;

public sealed class ParameterValuesTests
{
    [Theory]
    [InlineData("5", 5L)]
    [InlineData(" -12 ", -12L)]
    [InlineData("1_000_000", 1_000_000L)]
    [InlineData("1e9", 1_000_000_000L)]
    public void Parse_IntText_ReturnsInt(string text, long expected)
    {
        var value = ParameterValues.Parse("--count", ParameterValues.IntType, text);

        Assert.Equal(ParameterValue.ValueOneofCase.IntValue, value.ValueCase);
        Assert.Equal(expected, value.IntValue);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    public void Parse_BadInt_ErrorNamesOption(string text)
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterValues.Parse("--count", ParameterValues.IntType, text));

        Assert.Equal("--count", error.Parameter);
        Assert.Equal($"--count must be a whole number, not '{text}'.", error.Message);
    }

    [Theory]
    [InlineData("2.5", 2.5)]
    [InlineData("-1e-3", -0.001)]
    [InlineData("7", 7.0)]
    public void Parse_DoubleText_ReturnsDouble(string text, double expected) =>
        Assert.Equal(expected, ParameterValues.Parse("--scale", ParameterValues.DoubleType, text).DoubleValue);

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("x")]
    public void Parse_NonFiniteDouble_Rejected(string text) =>
        Assert.Contains("--scale must be a finite number", Assert.Throws<ParameterFormatException>(
            () => ParameterValues.Parse("--scale", ParameterValues.DoubleType, text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    public void Parse_BoolText_ReturnsFlag(string text, bool expected) =>
        Assert.Equal(expected, ParameterValues.Parse("--verbose", ParameterValues.BoolType, text).BoolValue);

    [Fact]
    public void Parse_String_KeepsTextVerbatim() =>
        Assert.Equal(" a b ", ParameterValues.Parse("--label", ParameterValues.StringType, " a b ").StringValue);

    [Fact]
    public void Parse_UnknownType_ErrorNamesTypeAndOption()
    {
        var error = Assert.Throws<ParameterFormatException>(() => ParameterValues.Parse("--x", "matrix", "1"));

        Assert.Equal("--x has type 'matrix', which this client does not know.", error.Message);
    }

    [Fact]
    public void FromClr_EachSupportedType_SetsMatchingCase()
    {
        Assert.Equal(3L, ParameterValue.FromClr(3).IntValue);
        Assert.Equal(4L, ParameterValue.FromClr(4L).IntValue);
        Assert.Equal(0.5, ParameterValue.FromClr(0.5).DoubleValue);
        Assert.Equal("s", ParameterValue.FromClr("s").StringValue);
        Assert.True(ParameterValue.FromClr(true).BoolValue);
        Assert.Throws<ArgumentException>(() => ParameterValue.FromClr(DateTime.UnixEpoch));
    }

    [Fact]
    public void ToClr_RoundTripsFromClr()
    {
        foreach (var value in new object[] { 9L, 1.25, "text", false })
        {
            Assert.Equal(value, ParameterValue.FromClr(value).ToClr());
        }
    }
}
