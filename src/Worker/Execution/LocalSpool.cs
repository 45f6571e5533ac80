using System.Buffers;
using System.Text;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;
using Cluster.Jobs.Splitting;
using Microsoft.Extensions.Logging;

namespace Cluster.Worker.Execution;

/// <summary>
/// Local reads of the coordinator's input spool, for a worker on the coordinator's machine: it proves it reads the
/// coordinator's files by reading the probe file the join's answer names (<c>JoinAccepted.local_probe_path</c>), and
/// then runs chunks sent as a spool range (<c>ChunkAssignment.local_slice</c>) on the payload header followed by the
/// range's bytes, read here with the positional reads and pooled buffers of an input by reference. Only files in the
/// probe's folder are read.
/// </summary>
internal sealed partial class LocalSpool
{
    private const int MaxTokenBytes = 128;

    private LocalSpool(string folder) => Folder = folder;

    /// <summary>The folder of the probe this worker read: the coordinator's spool.</summary>
    public string Folder { get; }

    /// <summary>
    /// Reads the probe at <paramref name="probePath"/>: the spool this worker then reads, or null when it takes no
    /// local reads (<paramref name="enabled"/> false, no probe offered, or the file cannot be read here). The answer to
    /// send is in <paramref name="proof"/>; null when no probe was offered.
    /// </summary>
    public static LocalSpool? Prove(string probePath, bool enabled, ILogger logger, out LocalReadProof? proof)
    {
        proof = null;
        if (string.IsNullOrEmpty(probePath))
        {
            return null;
        }

        if (!enabled)
        {
            proof = new LocalReadProof { Error = "local reads are turned off on this worker (Worker:LocalReads=false)" };
            return null;
        }

        try
        {
            if (!Path.IsPathFullyQualified(probePath))
            {
                throw new IOException($"'{probePath}' is not an absolute path");
            }

            using var probe = File.OpenHandle(probePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var token = new byte[MaxTokenBytes];
            var read = RandomAccess.Read(probe, token, 0);
            proof = new LocalReadProof { Token = Encoding.ASCII.GetString(token, 0, read) };
            var folder = Path.GetDirectoryName(probePath)!;
            LogReads(logger, folder);
            return new LocalSpool(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCannotRead(logger, probePath, ex.Message);
            proof = new LocalReadProof { Error = $"this worker cannot read {probePath}: {ex.Message}" };
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="item"/>'s chunk on its payload header followed by the bytes of its spool slice. A slice this
    /// worker cannot read (no proof, a file outside the spool, the file gone, fewer bytes than named, an I/O error)
    /// fails the attempt with an <see cref="IOException"/> saying so; the coordinator retries the chunk with its bytes.
    /// </summary>
    public static void Execute(LocalSpool? spool, IChunkExecutor executor, WorkItem item, LocalSlice slice, IBufferWriter<byte> output, CancellationToken cancellationToken)
    {
        var header = item.Payload.Span;
        if (slice.Offset < 0 || slice.Length < 0 || slice.Length > int.MaxValue - header.Length)
        {
            throw new InvalidDataException($"Chunk {item.ChunkIndex}'s local slice names bytes [{slice.Offset}, {slice.Offset + slice.Length}) of {slice.Path}, not a range.");
        }

        var length = header.Length + (int)slice.Length;
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            header.CopyTo(data);
            Read(spool, item.ChunkIndex, slice, data.AsSpan(header.Length, (int)slice.Length));
            executor.Execute(item.ChunkIndex, data.AsSpan(0, length), output, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private static void Read(LocalSpool? spool, long chunk, LocalSlice slice, Span<byte> destination)
    {
        // Formatted only when a read fails: this runs for every chunk.
        string Where() => $"chunk {chunk}'s input bytes [{slice.Offset}, {slice.Offset + slice.Length}) from the coordinator's spool {slice.Path}";
        if (spool is null || !string.Equals(Path.GetDirectoryName(slice.Path), spool.Folder, StringComparison.Ordinal))
        {
            throw new IOException($"Could not read {Where()}: " + (spool is null
                ? "this worker did not prove it reads the coordinator's files"
                : $"the file is not in {spool.Folder}, the folder of the probe this worker read") + "; the coordinator retries the chunk with its bytes.");
        }

        try
        {
            // Opened per chunk: the spool may still grow, and its length is taken at open (the slice's bytes are in).
            using var input = new FileJobInput(slice.Path);
            LineRanges.ReadExactly(input, slice.Offset, destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new IOException($"Could not read {Where()} ({ex.Message}); the coordinator retries the chunk with its bytes.", ex);
        }
    }

    [LoggerMessage(EventId = 8310, Level = LogLevel.Information, Message = "Reads the coordinator's files: uploaded chunks may come as ranges of its spool in {Folder}")]
    private static partial void LogReads(ILogger logger, string folder);

    [LoggerMessage(EventId = 8311, Level = LogLevel.Information, Message = "Cannot read the coordinator's probe file {Path} ({Error}): chunks come with their bytes")]
    private static partial void LogCannotRead(ILogger logger, string path, string error);
}
