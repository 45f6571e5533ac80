namespace Cluster.Bench.Measurement;

/// <summary>What one reported figure means.</summary>
/// <param name="Id">Stable key in the JSON, for example <c>dispatch.cluster.1000000</c>.</param>
/// <param name="Workload">The workload that measures it (dispatch, latency, cpu, data, failure, startup, memory).</param>
/// <param name="Title">One line for the table.</param>
/// <param name="Unit">Unit of the values.</param>
/// <param name="Goal">The target from issue 4, or null for a figure shown for context.</param>
/// <param name="Signed">Whether the value may legitimately be zero or negative (a difference, a count of retries).</param>
internal sealed record FigureSpec(string Id, string Workload, string Title, string Unit, Goal? Goal = null, bool Signed = false);
