using System.Globalization;
using Cluster.Jobs;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Range checks shared by the built-in kinds, so every rule reads the same way in error messages.</summary>
internal static class ParameterRules
{
    /// <summary>An integer parameter that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long IntInRange(JobParameters parameters, string name, long min, long max)
    {
        var value = parameters.GetInt64(name);
        if (value < min || value > max)
        {
            var rule = max == long.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"must be at least {min} (got {value})")
                : string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} (got {value})");
            throw new JobParameterException(name, rule);
        }

        return value;
    }

    /// <summary>Rejects a user-given chunk size for kinds whose chunk count is the only meaningful knob.</summary>
    public static void RejectChunkSize(ChunkingRequest chunking, string why)
    {
        if (chunking.RequestedChunkSize > 0)
        {
            throw new JobParameterException("chunk_size", why);
        }
    }

    /// <summary>Rejects a user-given chunk count for kinds that split by their own rule.</summary>
    public static void RejectChunks(ChunkingRequest chunking, string why)
    {
        if (chunking.RequestedChunks > 0)
        {
            throw new JobParameterException("chunks", why);
        }
    }
}
