using Cluster.Cli.Common;
using Cluster.Cli.Embedded;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Submit;

/// <summary>Everything <c>cluster submit</c> was asked, read from the command line.</summary>
internal sealed record SubmitRequest(
    KindInfo Kind,
    bool KnownKind,
    IReadOnlyDictionary<string, ParameterValue> TypedParameters,
    IReadOnlyList<KeyValuePair<string, string>> RawParameters,
    FileInfo? Input,
    string? Coordinator,
    long? Chunks,
    long? ChunkSize,
    string? Name,
    bool Json,
    FileInfo? Output,
    bool Detach,
    EmbeddedCluster.Settings Embedded)
{
    /// <summary>Client settings for <see cref="Coordinator"/> (its TLS files, and the token from <c>--token-file</c> or CLUSTER_TOKEN); a local cluster started for the job uses its own token and ignores them.</summary>
    public ClusterClientOptions ClientOptions { get; init; } = new();

    /// <summary>The <c>--jobs</c> paths (assemblies or build output folders); the one holding the kind is uploaded as a bundle.</summary>
    public IReadOnlyList<string> JobPaths { get; init; } = [];

    /// <summary>The <c>--input-url</c> location the workers read the input from themselves, or null.</summary>
    public string? InputUrl { get; init; }

    /// <summary><c>--upload</c>: stream <see cref="Input"/> even to workers that could read it by reference.</summary>
    public bool Upload { get; init; }

    /// <summary>Rejects combinations that cannot work, before anything is started.</summary>
    /// <exception cref="CliUsageException">Which options clash, and why.</exception>
    public void Validate()
    {
        if (Chunks is not null && ChunkSize is not null)
        {
            throw new CliUsageException("--chunks and --chunk-size exclude each other; give one.");
        }

        if (Chunks is < 1 || ChunkSize is < 1)
        {
            throw new CliUsageException(Chunks is < 1 ? "--chunks must be at least 1." : "--chunk-size must be at least 1.");
        }

        if (Input is not null && InputUrl is not null)
        {
            throw new CliUsageException($"{KindBinding.InputOption} and {KindBinding.InputUrlOption} exclude each other; give one.");
        }

        if (Upload && Input is null)
        {
            throw new CliUsageException($"{KindBinding.UploadOption} needs {KindBinding.InputOption} FILE.");
        }

        if (KnownKind && Kind.TakesInput && Input is null && InputUrl is null)
        {
            throw new CliUsageException($"Kind '{Kind.Name}' reads input: give {KindBinding.InputOption} FILE or {KindBinding.InputUrlOption} URL.");
        }

        if (Detach && Coordinator is null)
        {
            throw new CliUsageException($"--detach needs --coordinator (or {CommonOptions.CoordinatorVariable}): a local cluster ends with the command.");
        }

        if (Detach && Output is not null)
        {
            throw new CliUsageException("--detach and --output exclude each other; fetch the result later with 'cluster result JOB -o FILE'.");
        }
    }

    /// <summary>The spec to submit, with parameters typed by <paramref name="kind"/> (the local or the coordinator's declaration).</summary>
    /// <exception cref="ParameterFormatException">A <c>--param</c> names no parameter or has a value of the wrong type.</exception>
    public JobSpec ToSpec(KindInfo kind)
    {
        // A kind the coordinator lists from a bundle it holds runs from that bundle; one shipped with --jobs replaces it.
        var spec = new JobSpec { Kind = Kind.Name, Chunks = Chunks ?? 0, ChunkSize = ChunkSize ?? 0, Name = Name ?? string.Empty, BundleId = kind.BundleId, InputUrl = InputUrl ?? string.Empty };
        spec.Parameters.Add(JobSpecs.TypeAll(kind, RawParameters, name => $"{KindBinding.ParamOption} {name}"));
        foreach (var (name, value) in TypedParameters)
        {
            spec.Parameters[name] = value;
        }

        return spec;
    }
}
