using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Uploaded input, as the CLI sends it to a running cluster of 2 workers x 1 thread: SHA-256 of 512 MiB of random
/// bytes, upload included, streamed (the client declares the length, chunks start as their bytes arrive) and spooled
/// whole (a stream of unknown length: the job is planned once all of it arrived), side by side in each run with the
/// order alternating, next to hashing the file in this process; with each hop's CPU seconds per GiB. The workers share
/// the coordinator's machine, so they read their chunks from its spool (local reads); a second cluster with
/// <c>Coordinator:LocalReads=false</c> gives the streamed figure of the bytes path, which workers on other hosts take,
/// and a third, also with <c>Coordinator:TransportBlockBytes=0</c>, the same with Kestrel's own 4 KiB blocks.
/// </summary>
internal sealed class UploadWorkload : IWorkload
{
    private static readonly FigureSpec InProcess = new("upload.inprocess", "upload", "SHA-256 in process, all threads", "MiB/s");
    private static readonly FigureSpec StreamedOverSpooled = new("upload.streamed_over_spooled", "upload", "SHA-256 uploaded, streamed / spooled whole", "x");
    private static readonly FigureSpec LocalOverBytes = new("upload.local_over_bytes", "upload", "SHA-256 uploaded, streamed: local reads / bytes to the workers", "x");
    private static readonly FigureSpec BlocksOverKestrel = new("upload.blocks_over_kestrel", "upload", "SHA-256 uploaded, bytes to the workers: transport blocks as shipped / Kestrel's 4 KiB", "x");
    private static readonly FigureSpec InProcessCpu = new("upload.cpu.inprocess", "upload", "CPU seconds per GiB in process (hashing alone)", "s/GiB");

    public string Name => "upload";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var bytes = context.Settings.Size(512L << 20, 64L << 20);
        var mib = bytes / (1024.0 * 1024.0);
        var temp = Directory.CreateTempSubdirectory("cluster-bench-");
        try
        {
            var file = Path.Combine(temp.FullName, "input.bin");
            await DataWorkload.WriteRandomFileAsync(file, bytes, cancellationToken);
            context.Note($"wrote {mib:N0} MiB of random bytes to {file}");
            var spool = Directory.CreateDirectory(Path.Combine(temp.FullName, "spool")).FullName;
            await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken, [$"--Coordinator:SpoolDirectory={spool}"]);
            var bytesSpool = Directory.CreateDirectory(Path.Combine(temp.FullName, "spool-bytes")).FullName;
            await using var bytesCluster = await context.StartClusterAsync(2, 1, cancellationToken, [$"--Coordinator:SpoolDirectory={bytesSpool}", "--Coordinator:LocalReads=false"]);
            var kestrelSpool = Directory.CreateDirectory(Path.Combine(temp.FullName, "spool-kestrel")).FullName;
            await using var kestrelCluster = await context.StartClusterAsync(2, 1, cancellationToken, [$"--Coordinator:SpoolDirectory={kestrelSpool}", "--Coordinator:LocalReads=false", "--Coordinator:TransportBlockBytes=0"]);
            var modes = new[] { Mode.Streamed, Mode.StreamedBytes, Mode.Spooled, Mode.StreamedBytesKestrelBlocks };
            foreach (var run in context.Runs)
            {
                var (root, inProcess, cpu) = DataWorkload.HashInProcess(file, cancellationToken);
                context.Results.Add(InProcess, inProcess);
                context.Results.Add(InProcessCpu, cpu);
                context.Note($"run {run}: in process {inProcess:N0} MiB/s");

                var rates = new Dictionary<Mode, double>();
                foreach (var mode in run % 2 == 1 ? modes : modes.Reverse())
                {
                    var target = mode switch { Mode.StreamedBytes => bytesCluster, Mode.StreamedBytesKestrelBlocks => kestrelCluster, _ => cluster };
                    rates[mode] = await UploadAsync(context, target, file, mode, root, inProcess, cancellationToken);
                }

                context.Results.Add(StreamedOverSpooled, rates[Mode.Streamed] / rates[Mode.Spooled]);
                context.Results.Add(LocalOverBytes, rates[Mode.Streamed] / rates[Mode.StreamedBytes]);
                context.Results.Add(BlocksOverKestrel, rates[Mode.StreamedBytes] / rates[Mode.StreamedBytesKestrelBlocks]);
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static async Task<double> UploadAsync(BenchContext context, BenchCluster cluster, string file, Mode mode, string root, double inProcess, CancellationToken cancellationToken)
    {
        var name = mode switch { Mode.Streamed => "streamed", Mode.StreamedBytes => "streamed_bytes", Mode.StreamedBytesKestrelBlocks => "streamed_bytes_kestrel_blocks", _ => "spooled" };
        var mib = new FileInfo(file).Length / (1024.0 * 1024.0);
        var gib = mib / 1024;
        var workers = cluster.LiveWorkers.Select(w => w.Pid).ToList();
        var before = (Client: ProcCpu.Seconds(Environment.ProcessId), Coordinator: ProcCpu.Seconds(cluster.Local.Coordinator.Pid), Workers: workers.Sum(ProcCpu.Seconds));
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ClusterClient.InputPieceBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);

        // A stream of unknown length is what a pipe gives: the client cannot declare it, so the coordinator spools it whole.
        await using Stream input = mode == Mode.Spooled ? new UnknownLengthStream(stream) : stream;
        var (job, elapsed, accepted) = await cluster.RunAsync(JobSpecs.Create("sha256"), input, cancellationToken);
        if (DataWorkload.Root(job.ResultJson) != root)
        {
            throw new InvalidOperationException($"Job {job.JobId} ({name}) computed root {DataWorkload.Root(job.ResultJson)}; in process it is {root}.");
        }

        var rate = mib / elapsed.TotalSeconds;
        var client = (ProcCpu.Seconds(Environment.ProcessId) - before.Client) / gib;
        var coordinator = (ProcCpu.Seconds(cluster.Local.Coordinator.Pid) - before.Coordinator) / gib;
        var workerCpu = (workers.Sum(ProcCpu.Seconds) - before.Workers) / gib;
        context.Results.Add(new FigureSpec($"upload.{name}", "upload", $"SHA-256 uploaded to 2 workers x 1 thread, {name}, upload included", "MiB/s"), rate);
        context.Results.Add(new FigureSpec($"upload.{name}.ratio", "upload", $"SHA-256 uploaded, {name} / in process", "x"), rate / inProcess);
        context.Results.Add(new FigureSpec($"upload.{name}.cpu.client", "upload", $"CPU s per GiB, {name}: client (read, upload)", "s/GiB"), client);
        context.Results.Add(new FigureSpec($"upload.{name}.cpu.coordinator", "upload", $"CPU s per GiB, {name}: coordinator (receive, spool, send or not)", "s/GiB"), coordinator);
        context.Results.Add(new FigureSpec($"upload.{name}.cpu.workers", "upload", $"CPU s per GiB, {name}: workers (receive or read, hash)", "s/GiB"), workerCpu);
        context.Note($"{name}: {rate:N0} MiB/s ({elapsed.TotalSeconds:0.00} s, accepted after {accepted.TotalSeconds:0.00} s); CPU s/GiB client {client:0.00}, coordinator {coordinator:0.00}, workers {workerCpu:0.00}");
        return rate;
    }

    private enum Mode
    {
        /// <summary>Length declared, workers read their chunks from the spool (local reads).</summary>
        Streamed,

        /// <summary>Length declared, local reads off: each chunk's bytes sent to its worker, as to a worker on another host.</summary>
        StreamedBytes,

        /// <summary>Unknown length: spooled whole, then planned (local reads).</summary>
        Spooled,

        /// <summary>As <see cref="StreamedBytes"/>, with Kestrel's own 4 KiB blocks (<c>Coordinator:TransportBlockBytes=0</c>).</summary>
        StreamedBytesKestrelBlocks,
    }

    /// <summary>A read-only view of a stream that hides its length, as a pipe would.</summary>
    private sealed class UnknownLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
