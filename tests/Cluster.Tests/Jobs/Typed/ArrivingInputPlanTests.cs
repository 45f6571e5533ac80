using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.BuiltIn.WordCount;
using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Jobs.Typed;

/// <summary>The plans of the SDK's input kinds while the uploaded input still arrives: which chunks can go, and what they carry.</summary>
public sealed class ArrivingInputPlanTests
{
    [Fact]
    public void HasArrived_Blocks_OnlyOnceTheWholeBlockIsIn()
    {
        var input = new MemoryJobInput(Bytes(10));
        var plan = (IArrivingInputPlan)Plan(new Sha256Kind(), input, ("block-size", 4L));

        Assert.Equal(3, plan.ChunkCount);
        Assert.False(plan.HasArrived(0, Prefix(input, 3)));
        Assert.True(plan.HasArrived(0, Prefix(input, 4)));
        Assert.False(plan.HasArrived(1, Prefix(input, 7)));
        Assert.True(plan.HasArrived(1, Prefix(input, 8)));
        Assert.False(plan.HasArrived(2, Prefix(input, 9)));
        Assert.True(plan.HasArrived(2, Prefix(input, 10)));
    }

    [Fact]
    public void WritePayload_BlocksPlannedWhileArriving_SameAsPlannedOnTheWholeInput()
    {
        var input = new MemoryJobInput(Bytes(1000));
        var arriving = Plan(new Sha256Kind(), input, ("block-size", 64L));
        var whole = Plan(new Sha256Kind(), input, false, ("block-size", 64L));

        Assert.Equal(whole.ChunkCount, arriving.ChunkCount);
        for (long i = 0; i < whole.ChunkCount; i++)
        {
            Assert.Equal(Payload(whole, i), Payload(arriving, i));
        }
    }

    [Fact]
    public void HasArrived_Lines_WaitsForTheLineEndAfterTheRange()
    {
        // 40 bytes in 4 nominal chunks of 10; the line "bbbbbbbbbbbbbbbbbb\n" crosses the ends of chunks 0 and 1.
        var text = "aaaaaaa\nbbbbbbbbbbbbbbbbbbbbbbb\ncccccc\nd";
        var input = new MemoryJobInput(Encoding.ASCII.GetBytes(text));
        var plan = (IArrivingInputPlan)Plan(new WordCountKind(), input, ("chunks", 4L));

        Assert.Equal(4, plan.ChunkCount);

        // Chunk 0 is [0, 10): its end moves to the line start after the '\n' at or after byte 9, which is byte 31.
        Assert.False(plan.HasArrived(0, Prefix(input, 10)));
        Assert.False(plan.HasArrived(0, Prefix(input, 31)));
        Assert.True(plan.HasArrived(0, Prefix(input, 32)));
        Assert.True(plan.HasArrived(1, Prefix(input, 32)));

        // Chunk 2 ends at 30, chunk 3 at the input's end: the last line has no '\n', so only the whole input will do.
        Assert.True(plan.HasArrived(2, Prefix(input, 32)));
        Assert.False(plan.HasArrived(3, Prefix(input, 39)));
        Assert.True(plan.HasArrived(3, Prefix(input, 40)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void WritePayload_LinesPlannedWhileArriving_EveryLineOnceInOrder(long chunks)
    {
        var random = new Random((int)chunks);
        var text = new StringBuilder();
        while (text.Length < 5000)
        {
            text.Append('x', random.Next(0, 120)).Append('\n');
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        var input = new MemoryJobInput(bytes);
        var plan = (IArrivingInputPlan)Plan(new WordCountKind(), input, ("chunks", chunks));
        var joined = new List<byte>();
        for (long i = 0; i < plan.ChunkCount; i++)
        {
            Assert.True(plan.HasArrived(i, input));
            var payload = Payload(plan, i);
            Assert.Equal(joined.Count, BinaryPrimitives.ReadInt64LittleEndian(payload));
            joined.AddRange(payload.AsSpan(8).ToArray());
            if (joined.Count > 0 && joined.Count < bytes.Length)
            {
                Assert.Equal((byte)'\n', joined[^1]);
            }
        }

        Assert.Equal(bytes, joined.ToArray());
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static MemoryJobInput Prefix(MemoryJobInput input, int length)
    {
        var bytes = new byte[length];
        input.Read(0, bytes);
        return new MemoryJobInput(bytes);
    }

    private static IJobPlan Plan(IJobKind kind, IJobInput input, params (string Name, object Value)[] values) => Plan(kind, input, true, values);

    private static IJobPlan Plan(IJobKind kind, IJobInput input, bool arriving, params (string Name, object Value)[] values)
    {
        var chunks = values.Where(v => v.Name == "chunks").Select(v => (long)v.Value).FirstOrDefault();
        var parameters = values.Where(v => v.Name != "chunks").ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var context = new JobPlanContext(JobParameters.Bind(kind.Parameters, parameters), input, new ChunkingRequest(chunks, 0, 4, 1000)) { InputArriving = arriving };
        return kind.Plan(context);
    }

    private static byte[] Payload(IJobPlan plan, long chunk)
    {
        var writer = new ArrayBufferWriter<byte>();
        plan.WritePayload(chunk, writer);
        return writer.WrittenSpan.ToArray();
    }
}
