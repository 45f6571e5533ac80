using System.Globalization;
using Cluster.Contracts.V1;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>What the coordinator restart tests count: chunk executions the chaos kind left as files, and chunks the journal kept.</summary>
internal static class RestartCounts
{
    /// <summary>How many times each chunk finished an execution, from the <c>chunk-INDEX-GUID</c> files of the chaos kind's count-dir.</summary>
    public static Dictionary<long, int> Executions(string countDir) => Directory.GetFiles(countDir)
        .Select(f => long.Parse(Path.GetFileName(f).Split('-')[1], CultureInfo.InvariantCulture))
        .GroupBy(c => c)
        .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The chunks the journal kept at each restart, in order, from the job's "coordinator restarted: N of M chunks kept" events.</summary>
    public static List<long> Kept(JobInfo job) => [.. job.Events
        .Where(e => e.StartsWith("coordinator restarted: ", StringComparison.Ordinal))
        .Select(e => long.Parse(e.Split(' ')[2], CultureInfo.InvariantCulture))];
}
