using Cluster.Client;
using Cluster.Client.Local;
using Grpc.Core;

namespace Cluster.Cli.Common;

/// <summary>
/// Exit codes of the <c>cluster</c> command (also listed in src/Cli/README.md):
/// <list type="table">
/// <item><term>0</term><description>Success; for <c>submit</c>, the job succeeded.</description></item>
/// <item><term>1</term><description>The job failed or was cancelled (or has no result yet).</description></item>
/// <item><term>2</term><description>Usage or validation error: bad option, unknown kind, rejected parameters, unknown job.</description></item>
/// <item><term>3</term><description>The coordinator cannot be reached or did not answer in time.</description></item>
/// <item><term>4</term><description>The embedded local cluster could not be started.</description></item>
/// <item><term>5</term><description>Any other failure (an internal coordinator error, an I/O error).</description></item>
/// <item><term>130</term><description>Interrupted by Ctrl+C or SIGTERM.</description></item>
/// </list>
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int JobFailed = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int LocalClusterFailed = 4;
    public const int Failure = 5;
    public const int Interrupted = 130;

    /// <summary>The exit code for a call that ended with <paramref name="status"/>.</summary>
    public static int ForStatus(StatusCode status) => status switch
    {
        StatusCode.OK => Ok,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unreachable,
        StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.AlreadyExists
            or StatusCode.OutOfRange => Usage,
        StatusCode.Cancelled => Interrupted,
        _ => Failure,
    };

    /// <summary>The exit code and the one-line message for an exception that ended a command.</summary>
    public static (int Code, string Message) ForException(Exception exception) => exception switch
    {
        ClusterException e => (ForStatus(e.StatusCode), e.Message),
        CliUsageException or ParameterFormatException => (Usage, Sentences.End(exception.Message)),
        FileNotFoundException or DirectoryNotFoundException => (Usage, Sentences.End(exception.Message)),
        LocalClusterException => (LocalClusterFailed, exception.Message),
        OperationCanceledException => (Interrupted, "Interrupted."),
        _ => (Failure, Sentences.End(exception.Message)),
    };
}
