using Cluster.Cli.Common;
using Cluster.Client;
using Cluster.Client.Local;
using Grpc.Core;

namespace Cluster.Tests.Cli;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, ExitCodes.Unreachable)]
    [InlineData(StatusCode.DeadlineExceeded, ExitCodes.Unreachable)]
    [InlineData(StatusCode.InvalidArgument, ExitCodes.Usage)]
    [InlineData(StatusCode.NotFound, ExitCodes.Usage)]
    [InlineData(StatusCode.FailedPrecondition, ExitCodes.Usage)]
    [InlineData(StatusCode.Internal, ExitCodes.Failure)]
    [InlineData(StatusCode.Unknown, ExitCodes.Failure)]
    public void ForException_ClusterException_MapsStatus(StatusCode status, int expected)
    {
        var (code, message) = ExitCodes.ForException(new ClusterException("Something happened.", status));

        Assert.Equal(expected, code);
        Assert.Equal("Something happened.", message);
    }

    [Fact]
    public void ForException_KnownFailures_MapToDocumentedCodes()
    {
        Assert.Equal(ExitCodes.Usage, ExitCodes.ForException(new CliUsageException("bad")).Code);
        Assert.Equal(ExitCodes.Usage, ExitCodes.ForException(new ParameterFormatException("--x", "--x must be a whole number, not 'y'.")).Code);
        Assert.Equal(ExitCodes.Usage, ExitCodes.ForException(new FileNotFoundException("The job assembly 'a.dll' does not exist.")).Code);
        Assert.Equal(ExitCodes.LocalClusterFailed, ExitCodes.ForException(new LocalClusterException("The coordinator exited.")).Code);
        Assert.Equal(ExitCodes.Interrupted, ExitCodes.ForException(new OperationCanceledException()).Code);
        Assert.Equal(ExitCodes.Failure, ExitCodes.ForException(new IOException("Disk full")).Code);
    }

    [Fact]
    public void ForException_MessageWithoutPeriod_EndsAsSentence() =>
        Assert.Equal("--chunks must be at least 1.", ExitCodes.ForException(new CliUsageException("--chunks must be at least 1")).Message);
}
