using Cluster.Contracts.V1;
using Cluster.Jobs;

namespace Cluster.Coordinator.Api;

/// <summary>Describes job kinds as the protocol's ListKinds does; the CLI uses the same description for kinds it knows locally.</summary>
public static class KindDescriptions
{
    /// <summary>The protocol description of <paramref name="kind"/>: name, description, typed parameters with defaults and bounds, whether it takes input and reads it by reference.</summary>
    public static KindInfo Describe(IJobKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var info = new KindInfo { Name = kind.Name, Description = kind.Description, TakesInput = kind.TakesInput, ReadsInputByReference = kind.TakesInput && kind.ReadsInputByReference };
        foreach (var p in kind.Parameters)
        {
            info.Parameters.Add(new ParameterInfo
            {
                Name = p.Name,
                Type = p.Type.ToString().ToLowerInvariant(),
                Required = p.Required,
                DefaultValue = p.DefaultText,
                Description = p.Description,
                Minimum = p.MinimumText,
                Maximum = p.MaximumText,
            });
        }

        return info;
    }
}
