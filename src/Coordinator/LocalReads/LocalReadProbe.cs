using System.Security.Cryptography;
using System.Text;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Submission;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.LocalReads;

/// <summary>
/// Proves, rather than guesses from host names, which workers read this coordinator's files: a file holding a random
/// token (new on every start) sits in the input spool's folder, each join's answer names it, and a worker that sends
/// the token back (<c>LocalReadProof</c>) read it, so it can read the spool too. Only such a session is sent chunks
/// as spool ranges (<see cref="LocalSlices"/>); a worker on another host, as another user or in a container cannot read
/// the file and keeps getting bytes.
/// </summary>
internal sealed partial class LocalReadProbe(InputSpool spool, IOptions<CoordinatorOptions> options, ILogger<LocalReadProbe> logger) : IDisposable
{
    private readonly byte[] _token = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    // One file per coordinator start (two coordinators may share a spool folder), deleted when it stops; one left by a
    // crash goes with the orphan sweep of the data directory at the next start.
    private readonly string _path = Path.Combine(spool.Directory, $"local-reads-{Guid.NewGuid():N}.probe");
    private readonly Lock _gate = new();

    /// <summary>The probe's path to name in a join's answer (written now if it is missing), or empty when local reads are off or it cannot be written.</summary>
    public string Offer()
    {
        if (!options.Value.LocalReads)
        {
            return string.Empty;
        }

        lock (_gate)
        {
            try
            {
                if (!File.Exists(_path))
                {
                    InputSpool.Create(spool.Directory);
                    var owner = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.Read };
                    if (!OperatingSystem.IsWindows())
                    {
                        owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    }

                    using var file = new FileStream(_path, owner);
                    file.Write(_token);
                }

                return _path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogProbeFailed(logger, _path, ex.Message);
                return string.Empty;
            }
        }
    }

    /// <summary>Takes a worker's answer to the probe: the session reads local files from now on if it sent this start's token.</summary>
    public void Accept(WorkerSession session, string token, string error)
    {
        var proved = options.Value.LocalReads && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token), _token);
        session.ReadsLocalFiles = proved;
        if (proved)
        {
            LogProved(logger, session.WorkerId);
        }
        else
        {
            LogNotProved(logger, session.WorkerId, string.IsNullOrEmpty(error) ? "it sent another token" : error);
        }
    }

    /// <summary>Deletes the probe file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                File.Delete(_path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogProbeFailed(logger, _path, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 8300, Level = LogLevel.Information, Message = "Worker {WorkerId} reads this coordinator's files: uploaded chunks go to it as ranges of the spool")]
    private static partial void LogProved(ILogger logger, string workerId);

    [LoggerMessage(EventId = 8301, Level = LogLevel.Information, Message = "Worker {WorkerId} does not read this coordinator's files ({Reason}): it gets every chunk's bytes")]
    private static partial void LogNotProved(ILogger logger, string workerId, string reason);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Warning, Message = "Could not write or delete the local-read probe {Path} ({Error}); without it every worker gets chunks' bytes")]
    private static partial void LogProbeFailed(ILogger logger, string path, string error);
}
