namespace Cluster.Client.Local;

/// <summary>How to start a program: the executable and the arguments that precede the ones <see cref="LocalCluster"/> adds.</summary>
/// <param name="FileName">The executable, for example <c>dotnet</c> or the path of the <c>cluster</c> apphost.</param>
/// <param name="LeadingArgs">Arguments that come first, for example the assembly path for <c>dotnet</c>, or a verb.</param>
public sealed record ProcessCommand(string FileName, IReadOnlyList<string> LeadingArgs)
{
    /// <summary>Runs <paramref name="assemblyPath"/> with the <c>dotnet</c> host.</summary>
    public static ProcessCommand Dotnet(string assemblyPath) => new("dotnet", [assemblyPath]);
}
