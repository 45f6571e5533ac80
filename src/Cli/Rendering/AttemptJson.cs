using System.Text.Json.Nodes;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Rendering;

/// <summary>The JSON shape of a job's attempt log (<c>status --attempts --json</c>).</summary>
internal static class AttemptJson
{
    /// <summary>
    /// An array of <c>{"chunk","attempt","worker","startedUnixMs","endedUnixMs","outcome","error"}</c>, in the order the
    /// attempts ended; <c>startedUnixMs</c> is 0 when the coordinator no longer knew it.
    /// </summary>
    public static JsonArray ToJson(IEnumerable<ChunkAttempt> attempts) =>
        new([.. attempts.Select(a => (JsonNode)new JsonObject
        {
            ["chunk"] = a.ChunkIndex,
            ["attempt"] = a.Attempt,
            ["worker"] = a.WorkerId,
            ["startedUnixMs"] = a.StartedUnixMs,
            ["endedUnixMs"] = a.EndedUnixMs,
            ["outcome"] = a.Outcome,
            ["error"] = a.Error,
        })]);
}
