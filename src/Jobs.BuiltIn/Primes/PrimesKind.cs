using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Jobs.BuiltIn.Primes;

/// <summary>The parameters of <see cref="PrimesKind"/>.</summary>
/// <param name="From">First number of the range, inclusive.</param>
/// <param name="To">End of the range, exclusive.</param>
public sealed record PrimesParameters(
    [Description("First number of the range (inclusive)")][Range(0, PrimesKind.MaxTo - 1)] long From,
    [Description("End of the range (exclusive, > from)")][Range(1, PrimesKind.MaxTo)] long To);

/// <summary>The result of <see cref="PrimesKind"/>.</summary>
/// <param name="From">First number of the range.</param>
/// <param name="To">End of the range.</param>
/// <param name="Count">Primes in [From, To).</param>
public sealed record PrimesResult(long From, long To, long Count);

/// <summary>Counts the primes in [from, to) with a segmented sieve; chunks are sub-ranges, the merge is a sum.</summary>
public sealed class PrimesKind : JobKind<PrimesParameters, LongRange, long, PrimesResult>
{
    /// <summary>The largest <c>to</c> accepted: its base primes (up to about 3.2 million) stay small.</summary>
    public const long MaxTo = 10_000_000_000_000;

    // One sieve per job on each worker: every chunk of a job there gets the same parameters instance.
    private static readonly ConditionalWeakTable<PrimesParameters, PrimeSieve> Sieves = [];

    /// <inheritdoc />
    public override string Name => "primes";

    /// <inheritdoc />
    public override string Description => "Counts the primes in [from, to) with a segmented sieve of Eratosthenes.";

    /// <inheritdoc />
    protected override void Validate(PrimesParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.To <= parameters.From)
        {
            throw new JobParameterException(
                "to",
                string.Create(CultureInfo.InvariantCulture, $"must be greater than 'from' (from={parameters.From}, to={parameters.To})"));
        }
    }

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(PrimesParameters parameters, JobPlanContext context) => Splitters.Range(context, parameters.From, parameters.To);

    /// <inheritdoc />
    protected override long Execute(PrimesParameters parameters, LongRange chunk, CancellationToken cancellationToken) =>
        Sieves.GetValue(parameters, static p => new PrimeSieve(p.To)).Count(chunk.Start, chunk.End, cancellationToken);

    /// <inheritdoc />
    protected override PrimesResult Empty(PrimesParameters parameters, PlanShape shape) => new(parameters.From, parameters.To, 0);

    /// <inheritdoc />
    protected override PrimesResult Merge(PrimesResult total, long chunkIndex, long chunkResult) => total with { Count = checked(total.Count + chunkResult) };
}
