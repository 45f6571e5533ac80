using Cluster.Jobs;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Tests.Jobs.Typed;

public sealed class ParameterSchemaTests
{
    [Fact]
    public void Parameters_UnsupportedType_ThrowsNamingParameter()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DateKind());

        Assert.Contains("'When'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_TwoPublicConstructors_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TwoConstructorsKind());

        Assert.Contains("exactly one public constructor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_IntParameter_CarriesIntBoundsWithoutRangeAttribute()
    {
        var spec = Assert.Single(new IntKind().Parameters);

        Assert.Equal(((long)int.MinValue, (long)int.MaxValue), (spec.Minimum, spec.Maximum));
        Assert.Throws<JobParameterException>(() => JobParameters.Bind([spec], new Dictionary<string, object> { ["count"] = 1L + int.MaxValue }));
    }

    [Fact]
    public void Parameters_RangeToTheTypesExtreme_IsOneSided()
    {
        var samples = new Cluster.Jobs.BuiltIn.Pi.PiKind().Parameters.Single(p => p.Name == "samples");

        Assert.Equal((1L, null, ">= 1"), (samples.Minimum, samples.Maximum, samples.RangeText));
        Assert.Equal("samples must be at least 1 (got 0)", Assert.Throws<JobParameterException>(() => JobParameters.Bind([samples], new Dictionary<string, object> { ["samples"] = 0L })).Message);
    }

    [Fact]
    public void Run_ResultThatIsNotAnObject_SummaryWrapsItAsValue()
    {
        var output = Cluster.Jobs.InProcess.InProcessJobRunner.Run(new IntKind(), new Dictionary<string, object> { ["count"] = 3L });

        Assert.Equal("""{"value":5}""", output.SummaryJson);
    }

    [Fact]
    public void Bind_ValuesAndDefaults_BuildTheRecord()
    {
        var kind = new SquaresKind();

        var bound = kind.Bind(JobParameters.Bind(kind.Parameters, new Dictionary<string, object> { ["from"] = 3L, ["to"] = 9L, ["modulus"] = 7L }));

        Assert.Equal(new SquaresParameters(3, 9, 7, 1.5, "sq", false), bound);
    }

    public sealed record DateParameters(DateTime When);

    public sealed record IntParameters(int Count);

    public sealed class TwoConstructors
    {
        public TwoConstructors()
        {
        }

        public TwoConstructors(long value) => Value = value;

        public long Value { get; }
    }

    private sealed class DateKind : NothingKind<DateParameters>;

    private sealed class IntKind : NothingKind<IntParameters>;

    private sealed class TwoConstructorsKind : NothingKind<TwoConstructors>;

    private abstract class NothingKind<TParameters> : JobKind<TParameters, LongRange, long, long>
        where TParameters : notnull
    {
        public override string Name => "nothing";

        public override string Description => "Nothing.";

        protected override Splitter<LongRange> Split(TParameters parameters, JobPlanContext context) => Splitters.Range(context, 0, 5);

        protected override long Execute(TParameters parameters, LongRange chunk, CancellationToken cancellationToken) => chunk.Length;

        protected override long Empty(TParameters parameters, PlanShape shape) => 0;

        protected override long Merge(long total, long chunkIndex, long chunkResult) => total + chunkResult;
    }
}
