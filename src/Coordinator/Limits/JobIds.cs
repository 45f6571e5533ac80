namespace Cluster.Coordinator.Limits;

/// <summary>The shape of a job id: 32 lowercase hexadecimal characters (a GUID's "N" form), checked before any lookup.</summary>
internal static class JobIds
{
    public const int Length = 32;

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != Length)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
