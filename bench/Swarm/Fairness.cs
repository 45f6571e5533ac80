namespace Cluster.Bench.Swarm;

/// <summary>Jain's fairness index: (Σx)² / (n·Σx²), 1 when every share is equal, 1/n when one takes everything.</summary>
internal static class Fairness
{
    public static double JainIndex(IReadOnlyCollection<double> shares)
    {
        ArgumentOutOfRangeException.ThrowIfZero(shares.Count);
        var sum = shares.Sum();
        var squares = shares.Sum(x => x * x);
        return squares == 0 ? 1 : sum * sum / (shares.Count * squares);
    }
}
