namespace Cluster.Bench.Measurement;

/// <summary>Collects one sample per figure per run, in the order figures were first recorded.</summary>
internal sealed class Results
{
    private readonly List<FigureSpec> _order = [];
    private readonly Dictionary<string, (FigureSpec Spec, List<double> Samples)> _samples = new(StringComparer.Ordinal);

    public void Add(FigureSpec spec, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{spec.Id} measured a value that is not a finite number.");
        }

        if (!_samples.TryGetValue(spec.Id, out var entry))
        {
            entry = (spec, []);
            _samples[spec.Id] = entry;
            _order.Add(spec);
        }

        entry.Samples.Add(value);
    }

    public IReadOnlyList<Figure> Figures() => [.. _order.Select(s => Figure.Of(s, _samples[s.Id].Samples))];
}
