using System.Text.Json;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.InProcess;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Data plane: SHA-256 of the 4 MiB blocks of a file of random bytes (2 GiB), in process on every core and through the
/// cluster (uploaded as a client would, to 2 workers x 1 thread), in MiB/s, with the peak RSS of every process involved.
/// </summary>
internal sealed class DataWorkload : IWorkload
{
    private const int BufferBytes = 4 << 20;
    private static readonly Sha256Kind Kind = new();

    private static readonly FigureSpec InProcess = new("data.inprocess", "data", "SHA-256 in process, all threads", "MiB/s");
    private static readonly FigureSpec Cluster = new("data.cluster", "data", "SHA-256 on the cluster, 2 workers x 1 thread, upload included", "MiB/s");
    private static readonly FigureSpec Ratio = new("data.ratio", "data", "SHA-256 cluster / in process", "x", Goal.AtLeast(0.8));
    private static readonly FigureSpec Upload = new("data.upload", "data", "  of which: upload until the coordinator accepted the job", "MiB/s");
    private static readonly FigureSpec AfterUpload = new("data.after_upload", "data", "  of which: acceptance to merged result", "MiB/s");
    private static readonly FigureSpec InProcessPeak = new("data.peak.inprocess", "data", "Peak RSS of the bench process while hashing in process", "MB");
    private static readonly FigureSpec CoordinatorPeak = new("data.peak.coordinator", "data", "Peak RSS of the coordinator during the job", "MB");
    private static readonly FigureSpec WorkerPeak = new("data.peak.worker", "data", "Peak RSS of the larger worker during the job", "MB");
    private static readonly FigureSpec InProcessCpu = new("data.cpu.inprocess", "data", "CPU seconds per GiB in process (hashing alone)", "s/GiB");
    private static readonly FigureSpec ClientCpu = new("data.cpu.client", "data", "CPU seconds per GiB in the client (reading, uploading)", "s/GiB");
    private static readonly FigureSpec CoordinatorCpu = new("data.cpu.coordinator", "data", "CPU seconds per GiB in the coordinator (spool, read, send)", "s/GiB");
    private static readonly FigureSpec WorkersCpu = new("data.cpu.workers", "data", "CPU seconds per GiB in the workers (receive, hash)", "s/GiB");

    public string Name => "data";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var bytes = context.Settings.Size(2L << 30, 256L << 20);
        var mib = bytes / (1024.0 * 1024.0);
        var temp = Directory.CreateTempSubdirectory("cluster-bench-");
        try
        {
            var file = Path.Combine(temp.FullName, "input.bin");
            await WriteRandomFileAsync(file, bytes, cancellationToken);
            context.Note($"wrote {mib:N0} MiB of random bytes to {file}");
            var rates = new List<double>();
            string root = string.Empty;
            foreach (var run in context.Runs)
            {
                ProcMemory.ResetPeak(Environment.ProcessId);
                (root, var rate, var cpu) = HashInProcess(file, cancellationToken);
                rates.Add(rate);
                context.Results.Add(InProcess, rate);
                context.Results.Add(InProcessPeak, ProcMemory.ToMB(ProcMemory.PeakBytes(Environment.ProcessId)));
                context.Results.Add(InProcessCpu, cpu);
                context.Note($"run {run}: in process {rate:N0} MiB/s");
            }

            // The coordinator spools the upload inside the temp folder, so nothing of it outlives the bench.
            var spool = Directory.CreateDirectory(Path.Combine(temp.FullName, "spool")).FullName;
            await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken, [$"--Coordinator:SpoolDirectory={spool}"]);
            foreach (var run in context.Runs)
            {
                cluster.ResetPeaks();
                var workers = cluster.LiveWorkers.Select(w => w.Pid).ToList();
                var before = (Client: ProcCpu.Seconds(Environment.ProcessId), Coordinator: ProcCpu.Seconds(cluster.Local.Coordinator.Pid), Workers: workers.Sum(ProcCpu.Seconds));
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ClusterClient.InputPieceBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var (job, elapsed, uploaded) = await cluster.RunAsync(JobSpecs.Create("sha256"), stream, cancellationToken);
                if (Root(job.ResultJson) != root)
                {
                    throw new InvalidOperationException($"Job {job.JobId} computed root {Root(job.ResultJson)}; in process it is {root}.");
                }

                var gib = mib / 1024;
                context.Results.Add(ClientCpu, (ProcCpu.Seconds(Environment.ProcessId) - before.Client) / gib);
                context.Results.Add(CoordinatorCpu, (ProcCpu.Seconds(cluster.Local.Coordinator.Pid) - before.Coordinator) / gib);
                context.Results.Add(WorkersCpu, (workers.Sum(ProcCpu.Seconds) - before.Workers) / gib);
                var rate = mib / elapsed.TotalSeconds;
                context.Results.Add(Cluster, rate);
                context.Results.Add(Ratio, rate / rates[run - 1]);
                context.Results.Add(Upload, mib / uploaded.TotalSeconds);
                context.Results.Add(AfterUpload, mib / (elapsed - uploaded).TotalSeconds);
                context.Results.Add(CoordinatorPeak, cluster.CoordinatorPeakMB());
                context.Results.Add(WorkerPeak, cluster.WorkerPeakMB());
                context.Note($"run {run}: cluster {rate:N0} MiB/s ({elapsed.TotalSeconds:0.00} s, of which upload {uploaded.TotalSeconds:0.00} s), coordinator peak {cluster.CoordinatorPeakMB():N0} MB, worker peak {cluster.WorkerPeakMB():N0} MB");
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    internal static async Task WriteRandomFileAsync(string path, long bytes, CancellationToken cancellationToken)
    {
        var random = new Random(4);
        var buffer = new byte[BufferBytes];
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - written)), cancellationToken);
        }
    }

    /// <summary>SHA-256 of <paramref name="file"/> in this process on every core: its root, MiB/s, and CPU seconds per GiB.</summary>
    internal static (string Root, double Rate, double CpuPerGiB) HashInProcess(string file, CancellationToken cancellationToken)
    {
        var mib = new FileInfo(file).Length / (1024.0 * 1024.0);
        var cpuBefore = ProcCpu.Seconds(Environment.ProcessId);
        using var input = new FileJobInput(file);
        var (output, elapsed) = BenchContext.Time(() => InProcessJobRunner.Run(
            Kind, new Dictionary<string, object>(), input, new InProcessRunOptions(), cancellationToken));
        return (Root(output.SummaryJson), mib / elapsed.TotalSeconds, (ProcCpu.Seconds(Environment.ProcessId) - cpuBefore) / (mib / 1024));
    }

    internal static string Root(string summaryJson)
    {
        using var document = JsonDocument.Parse(summaryJson);
        return document.RootElement.GetProperty("root").GetString() ?? string.Empty;
    }
}
