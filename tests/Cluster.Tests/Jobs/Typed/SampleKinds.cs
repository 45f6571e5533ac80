using System.ComponentModel;
using System.Security.Cryptography;
using Cluster.Jobs;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Tests.Jobs.Typed;

/// <summary>Small typed kinds whose answers have closed forms or independent computations, for the typed-layer tests.</summary>
public sealed record SquaresParameters(
    [property: Description("First number")] long From,
    [Description("End of the range (exclusive)")][Range(1, 3_000_000)] long To,
    [Range(1, 1000)] int Modulus = 1000,
    double Scale = 1.5,
    string Label = "sq",
    bool Negate = false);

public sealed record SquaresResult(long Sum, long Chunks, string Label, double Scaled);

/// <summary>Sum of i*i mod Modulus over [From, To).</summary>
public sealed class SquaresKind : JobKind<SquaresParameters, LongRange, long, SquaresResult>
{
    public override string Name => "typedtest-squares";

    public override string Description => "Sums squares modulo a number.";

    protected override void Validate(SquaresParameters parameters)
    {
        if (parameters.To <= parameters.From)
        {
            throw new JobParameterException("to", "must be greater than 'from'");
        }
    }

    protected override Splitter<LongRange> Split(SquaresParameters parameters, JobPlanContext context) => Splitters.Range(context, parameters.From, parameters.To);

    protected override long Execute(SquaresParameters parameters, LongRange chunk, CancellationToken cancellationToken)
    {
        long sum = 0;
        for (var i = chunk.Start; i < chunk.End; i++)
        {
            sum += i * i % parameters.Modulus;
        }

        return parameters.Negate ? -sum : sum;
    }

    protected override SquaresResult Empty(SquaresParameters parameters, PlanShape shape) => new(0, 0, parameters.Label, 0);

    protected override SquaresResult Merge(SquaresResult total, long chunkIndex, long chunkResult) => total with { Sum = total.Sum + chunkResult, Chunks = total.Chunks + 1 };

    protected override SquaresResult Complete(SquaresParameters parameters, SquaresResult total) => total with { Scaled = total.Sum * parameters.Scale };
}

public sealed record WordLength(string Word, int Position);

public sealed record LengthsResult(Dictionary<string, int> Lengths);

/// <summary>The length of each item of a list; chunk results are JSON records.</summary>
public sealed class LengthsKind : JobKind<NoParameters, WordLength[], WordLength[], LengthsResult>
{
    public static readonly string[] Words = [.. Enumerable.Range(0, 50).Select(i => new string('x', i % 7) + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public override string Name => "typedtest-lengths";

    public override string Description => "Lengths of words.";

    protected override Splitter<WordLength[]> Split(NoParameters parameters, JobPlanContext context) =>
        Splitters.Items(context, [.. Words.Select((w, i) => new WordLength(w, i))]);

    protected override WordLength[] Execute(NoParameters parameters, WordLength[] chunk, CancellationToken cancellationToken) =>
        [.. chunk.Select(w => w with { Position = w.Word.Length })];

    protected override LengthsResult Empty(NoParameters parameters, PlanShape shape) => new([]);

    protected override LengthsResult Merge(LengthsResult total, long chunkIndex, WordLength[] chunkResult)
    {
        foreach (var item in chunkResult)
        {
            total.Lengths.Add(item.Word, item.Position);
        }

        return total;
    }
}

public sealed record LineStats(long Lines, long Bytes, long Longest);

/// <summary>Counts lines, their bytes (without line ends) and the longest line, over the input.</summary>
public sealed class LineStatsKind : InputJobKind<NoParameters, LineStats, LineStats>
{
    public override string Name => "typedtest-linestats";

    public override string Description => "Counts lines.";

    protected override Splitter<LongRange> Split(NoParameters parameters, JobPlanContext context) => Splitters.Lines(context, maxChunkBytes: 256 * 1024);

    protected override LineStats Execute(NoParameters parameters, InputChunk chunk, CancellationToken cancellationToken)
    {
        long lines = 0, bytes = 0, longest = 0;
        foreach (var line in chunk.Lines)
        {
            lines++;
            bytes += line.Length;
            longest = Math.Max(longest, line.Length);
        }

        return new LineStats(lines, bytes, longest);
    }

    protected override LineStats Empty(NoParameters parameters, PlanShape shape) => new(0, 0, 0);

    protected override LineStats Merge(LineStats total, long chunkIndex, LineStats chunkResult) =>
        new(total.Lines + chunkResult.Lines, total.Bytes + chunkResult.Bytes, Math.Max(total.Longest, chunkResult.Longest));
}

public sealed record BlockParameters([Range(1, 1 << 20)] int BlockSize = 1000);

public sealed record BlockDigests(string[] Digests, long[] Offsets);

/// <summary>SHA-256 of each fixed-size block, with the offset each chunk saw.</summary>
public sealed class BlockDigestKind : InputJobKind<BlockParameters, byte[], BlockDigests>
{
    public override string Name => "typedtest-blockdigest";

    public override string Description => "Digests blocks.";

    protected override Splitter<LongRange> Split(BlockParameters parameters, JobPlanContext context) => Splitters.Blocks(context, parameters.BlockSize);

    protected override byte[] Execute(BlockParameters parameters, InputChunk chunk, CancellationToken cancellationToken) =>
        [.. BitConverter.GetBytes(chunk.Offset), .. SHA256.HashData(chunk.Data)];

    protected override BlockDigests Empty(BlockParameters parameters, PlanShape shape) => new(new string[shape.ChunkCount], new long[shape.ChunkCount]);

    protected override BlockDigests Merge(BlockDigests total, long chunkIndex, byte[] chunkResult)
    {
        total.Offsets[chunkIndex] = BitConverter.ToInt64(chunkResult);
        total.Digests[chunkIndex] = Convert.ToHexStringLower(chunkResult.AsSpan(8));
        return total;
    }
}
