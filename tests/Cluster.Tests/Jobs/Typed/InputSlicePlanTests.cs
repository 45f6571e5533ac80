using System.Buffers;
using System.Text;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.BuiltIn.WordCount;
using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Jobs.Typed;

/// <summary>
/// The range mapping of local reads: a chunk's payload header and the input range after it, read by a co-located
/// worker from the spool, come to the very payload the coordinator would send.
/// </summary>
public sealed class InputSlicePlanTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WritePayloadHeader_Blocks_HeaderAndRangeAreThePayload(bool arriving)
    {
        var bytes = new byte[1000];
        new Random(7).NextBytes(bytes);
        var input = new MemoryJobInput(bytes);
        var plan = Plan(new Sha256Kind(), input, arriving, 0, ("block-size", 64L));

        AssertSlicesArePayloads(plan, input);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(true, 64)]
    [InlineData(false, 7)]
    [InlineData(false, 64)]
    public void WritePayloadHeader_LinesCrossingEveryBoundary_HeaderAndRangeAreThePayload(bool arriving, long chunks)
    {
        // Lines longer than a nominal chunk: every chunk boundary falls inside a line, some chunks hold none.
        var random = new Random((int)chunks);
        var text = new StringBuilder();
        while (text.Length < 8000)
        {
            text.Append('w', random.Next(0, 400)).Append(' ').Append('v', random.Next(0, 90)).Append('\n');
        }

        var input = new MemoryJobInput(Encoding.ASCII.GetBytes(text.ToString()));
        var plan = Plan(new WordCountKind(), input, arriving, chunks);

        AssertSlicesArePayloads(plan, input);
    }

    [Fact]
    public void WritePayloadHeader_ByReference_Throws()
    {
        var input = new MemoryJobInput(new byte[100]);
        var kind = new Sha256Kind();
        var context = new JobPlanContext(JobParameters.Bind(kind.Parameters, new Dictionary<string, object>()), input, new ChunkingRequest(0, 0, 4, 1000)) { InputByReference = true };
        var plan = (IInputSlicePlan)kind.Plan(context);

        Assert.Throws<InvalidOperationException>(() => plan.WritePayloadHeader(0, new ArrayBufferWriter<byte>()));
    }

    private static void AssertSlicesArePayloads(IInputSlicePlan plan, MemoryJobInput input)
    {
        long covered = 0;
        for (long i = 0; i < plan.ChunkCount; i++)
        {
            var payload = new ArrayBufferWriter<byte>();
            plan.WritePayload(i, payload);

            var header = new ArrayBufferWriter<byte>();
            var range = plan.WritePayloadHeader(i, header);
            var slice = new byte[range.Length];
            input.Read(range.Start, slice);

            Assert.Equal(payload.WrittenSpan.ToArray(), header.WrittenSpan.ToArray().Concat(slice).ToArray());
            Assert.Equal(covered, range.Start);
            covered = range.End;
        }

        Assert.Equal(input.Length, covered);
    }

    private static IInputSlicePlan Plan(IJobKind kind, IJobInput input, bool arriving, long chunks, params (string Name, object Value)[] values)
    {
        var parameters = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var context = new JobPlanContext(JobParameters.Bind(kind.Parameters, parameters), input, new ChunkingRequest(chunks, 0, 4, 1000)) { InputArriving = arriving };
        return (IInputSlicePlan)kind.Plan(context);
    }
}
