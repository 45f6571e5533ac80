namespace Cluster.Worker.Hosting;

/// <summary>Worker settings, bound from the <c>Worker</c> configuration section (appsettings, CLUSTER_ environment variables, command line).</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Worker";

    /// <summary>URL of the coordinator to dial, for example <c>http://127.0.0.1:7400</c>. Required; no default.</summary>
    public string Coordinator { get; set; } = string.Empty;

    /// <summary>
    /// Most chunk attempts traced per second when tracing is on (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set and the job
    /// traced): a span per tiny chunk would cost more than the chunk. The first ones of each second are traced. Default 100.
    /// </summary>
    public int TracedChunksPerSecond { get; set; } = 100;

    /// <summary>Dedicated compute threads. Default: the number of cores.</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>CPUs to pin compute threads to, comma-separated (thread i takes the i-th, cycling). Default: no pinning.</summary>
    public string Cpus { get; set; } = string.Empty;

    /// <summary>Worker id advertised on join. Default: host name and process id.</summary>
    public string Id { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Extra job-kind assemblies, comma-separated paths. Default none.</summary>
    public string Jobs { get; set; } = string.Empty;

    /// <summary>
    /// PEM file of the CA that signed an <c>https://</c> coordinator's certificate; only it is trusted then
    /// (<c>--ca</c>). Default none: the system's trusted roots.
    /// </summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>PEM file of the client certificate to present for mutual TLS (<c>--client-cert</c>). Default none. Needs <see cref="ClientKey"/>.</summary>
    public string ClientCert { get; set; } = string.Empty;

    /// <summary>PEM file of the client certificate's private key, unencrypted (<c>--client-key</c>). Default none. Needs <see cref="ClientCert"/>.</summary>
    public string ClientKey { get; set; } = string.Empty;

    /// <summary>
    /// Local reads of the coordinator's input spool: when the coordinator offers them (<c>Coordinator:LocalReads</c>) and
    /// this worker can read the probe file it names (same machine, same user), uploaded chunks come as ranges of the
    /// coordinator's spool file, read here, instead of their bytes. Default true; false always takes the bytes.
    /// </summary>
    public bool LocalReads { get; set; } = true;

    /// <summary>Longest wait between attempts to reach the coordinator. Default 5 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For how long after the worker starts a failed join is retried every <see cref="StartJoinDelay"/> rather than with
    /// the exponential backoff: a coordinator started at the same moment (a local cluster starts both at once) is
    /// joined as soon as it listens. Default 10 s.
    /// </summary>
    public TimeSpan StartJoinWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The delay between join attempts during <see cref="StartJoinWindow"/>. Default 50 ms.</summary>
    public TimeSpan StartJoinDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long to wait for the coordinator to accept a join. Default 10 s.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a SIGTERM waits for started chunks to finish before giving up on them. Default 20 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// File holding this worker's token (<c>--token-file</c>), for a coordinator with a token file. Default none:
    /// the <c>CLUSTER_TOKEN</c> environment variable, or no token.
    /// </summary>
    public string TokenFile { get; set; } = string.Empty;

    /// <summary>
    /// Folder where bundles fetched from the coordinator are cached by id (<c>--bundle-cache</c>), kept across restarts.
    /// Default <c>cluster-bundles/worker</c> under the temporary folder, held by this worker alone: while another
    /// running process holds it, the next free one of <c>worker-2</c>, <c>worker-3</c>, ... (so workers of one machine,
    /// of one cluster or two, never evict each other's files). A folder set here is used as it is.
    /// </summary>
    public string BundleCache { get; set; } = string.Empty;

    /// <summary>Bytes of bundles the cache keeps; past it the least recently used ones no job uses are deleted. Default 2 GiB.</summary>
    public long BundleCacheBytes { get; set; } = 2L << 30;

    /// <summary>The default cache folder, before a running instance's number is added to it.</summary>
    public static string DefaultBundleCache => Path.Combine(Path.GetTempPath(), "cluster-bundles", "worker");

    /// <summary>The CPU list parsed; empty when no pinning was asked for.</summary>
    public IReadOnlyList<int> ParsedCpus() =>
        [.. Cpus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))];
}
