using System.Buffers;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Tests.Jobs.Typed;

public sealed class ChunkCodecsTests
{
    [Fact]
    public void Default_BinaryTypes_RoundTripWithFixedSizes()
    {
        Assert.Equal((long.MinValue, 8), RoundTrip(long.MinValue));
        Assert.Equal((-5, 4), RoundTrip(-5));
        Assert.Equal((Math.PI, 8), RoundTrip(Math.PI));
        Assert.Equal((true, 1), RoundTrip(true));
        Assert.Equal(("héllo", 6), RoundTrip("héllo"));
        Assert.Equal((new LongRange(-3, long.MaxValue), 16), RoundTrip(new LongRange(-3, long.MaxValue)));
        var (bytes, length) = RoundTrip(new byte[] { 1, 2, 3 });
        Assert.Equal([1, 2, 3], bytes);
        Assert.Equal(3, length);
    }

    [Fact]
    public void Default_Record_RoundTripsAsCamelCaseJson()
    {
        var writer = new ArrayBufferWriter<byte>();
        var codec = ChunkCodecs.Default<WordLength>();

        codec.Write(new WordLength("abc", 7), writer);

        Assert.Equal("""{"word":"abc","position":7}""", System.Text.Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(new WordLength("abc", 7), codec.Read(writer.WrittenSpan));
    }

    [Fact]
    public void Default_WithOptions_JsonFollowsThoseOptions()
    {
        var options = new System.Text.Json.JsonSerializerOptions(ChunkCodecs.CreateJsonOptions()) { PropertyNamingPolicy = null };
        var writer = new ArrayBufferWriter<byte>();

        ChunkCodecs.Default<WordLength>(options).Write(new WordLength("abc", 7), writer);

        Assert.Equal("""{"Word":"abc","Position":7}""", System.Text.Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(8, RoundTripWith(options, 5L));
    }

    [Fact]
    public void Read_MalformedData_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ChunkCodecs.Default<long>().Read(new byte[7]));
        Assert.Throws<InvalidDataException>(() => ChunkCodecs.Default<bool>().Read([2]));
        Assert.Throws<InvalidDataException>(() => ChunkCodecs.Default<string>().Read([0xC3]));
        Assert.Throws<InvalidDataException>(() => ChunkCodecs.Default<WordLength>().Read("{\"word\":"u8));

        var reversed = new ArrayBufferWriter<byte>();
        reversed.Write(BitConverter.GetBytes(5L));
        reversed.Write(BitConverter.GetBytes(4L));
        Assert.Throws<InvalidDataException>(() => ChunkCodecs.Default<LongRange>().Read(reversed.WrittenSpan));
    }

    private static (T Value, int Length) RoundTrip<T>(T value)
    {
        var writer = new ArrayBufferWriter<byte>();
        var codec = ChunkCodecs.Default<T>();
        codec.Write(value, writer);
        return (codec.Read(writer.WrittenSpan), writer.WrittenCount);
    }

    private static int RoundTripWith(System.Text.Json.JsonSerializerOptions options, long value)
    {
        // A binary type stays binary whatever the options.
        var writer = new ArrayBufferWriter<byte>();
        var codec = ChunkCodecs.Default<long>(options);
        codec.Write(value, writer);
        Assert.Equal(value, codec.Read(writer.WrittenSpan));
        return writer.WrittenCount;
    }
}
