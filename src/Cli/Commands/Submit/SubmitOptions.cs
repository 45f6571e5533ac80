using System.CommandLine;
using Cluster.Cli.Common;

namespace Cluster.Cli.Commands.Submit;

/// <summary>The options of <c>cluster submit</c> that every kind shares. They are recursive: they may follow the kind.</summary>
internal sealed class SubmitOptions
{
    /// <summary>
    /// Workers of the local cluster of one <c>cluster submit</c>: one, with a compute thread per core, does the same
    /// work as a worker per core and starts one .NET process less, which is most of the time to the first result
    /// (README "Cold workers and start-up"). <c>cluster local</c> keeps its two.
    /// </summary>
    public const int DefaultWorkers = 1;

    public SubmitOptions(CliConsole console)
    {
        Coordinator = CommonOptions.Coordinator(console, fallback: null);
        Chunks = new Option<long?>("--chunks") { Description = "Number of chunks (default: a few per worker thread)", HelpName = "N" };
        ChunkSize = new Option<long?>("--chunk-size") { Description = "Chunk size in the kind's own unit (instead of --chunks)", HelpName = "N" };
        Json = new Option<bool>("--json") { Description = "Print one JSON object with the outcome instead of text" };
        Output = CommonOptions.Output();
        Detach = new Option<bool>("--detach") { Description = "Print the job id and return without waiting (needs --coordinator)" };
        Workers = new Option<int>("--workers") { Description = $"Workers of the local cluster started without --coordinator (default {DefaultWorkers}, with a thread per core)", HelpName = "N", DefaultValueFactory = _ => DefaultWorkers };
        Threads = CommonOptions.Threads();
        Jobs = CommonOptions.Jobs();
        TokenFile = CommonOptions.TokenFile();
        Name = new Option<string?>("--name") { Description = "A label shown in job listings", HelpName = "NAME" };
        Tls = new TlsFlags();
        foreach (var option in All)
        {
            option.Recursive = true;
        }
    }

    public Option<string?> Coordinator { get; }

    public Option<long?> Chunks { get; }

    public Option<long?> ChunkSize { get; }

    public Option<bool> Json { get; }

    public Option<FileInfo?> Output { get; }

    public Option<bool> Detach { get; }

    public Option<int> Workers { get; }

    public Option<int?> Threads { get; }

    public Option<string?> Jobs { get; }

    public Option<string?> Name { get; }

    public Option<FileInfo?> TokenFile { get; }

    /// <summary><c>--ca</c>, <c>--client-cert</c>, <c>--client-key</c> for a coordinator given with <c>--coordinator</c>.</summary>
    public TlsFlags Tls { get; }

    public IReadOnlyList<Option> All => [Coordinator, Chunks, ChunkSize, Json, Output, Detach, Workers, Threads, Jobs, Name, TokenFile, .. Tls.All];

    /// <summary>Names and aliases of the options that take a value (for <see cref="ArgsScan.SubmitKind"/>).</summary>
    public IReadOnlySet<string> WithValues =>
        All.Where(o => o.ValueType != typeof(bool)).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every name a kind parameter cannot take as an option of its own.</summary>
    public IReadOnlySet<string> Reserved =>
        All.SelectMany(o => o.Aliases.Append(o.Name))
            .Concat([KindBinding.InputOption, KindBinding.InputUrlOption, KindBinding.UploadOption, KindBinding.ParamOption, "--help", "-h", "-?", "--version"])
            .ToHashSet(StringComparer.Ordinal);
}
