using Cluster.Coordinator.Limits;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class LimitsOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new LimitsOptionsValidator().Validate(null, new LimitsOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_ZeroAndNegative_NameEachSetting()
    {
        var options = new LimitsOptions
        {
            MaxQueuedJobsPerClient = 0,
            MaxWatchesPerClient = -1,
            MaxSubmitStreamsPerClient = 0,
            SubmitIdleTimeout = TimeSpan.Zero,
            MaxConnections = 0,
            MaxStreamsPerConnection = 0,
            RequestHeadersTimeout = TimeSpan.FromSeconds(-1),
            KeepAliveTimeout = TimeSpan.FromDays(2),
        };

        var result = new LimitsOptionsValidator().Validate(null, options);

        Assert.False(result.Succeeded);
        foreach (var key in new[] { "MaxQueuedJobsPerClient", "MaxWatchesPerClient", "MaxSubmitStreamsPerClient", "SubmitIdleTimeout", "MaxConnections", "MaxStreamsPerConnection", "RequestHeadersTimeout", "KeepAliveTimeout" })
        {
            Assert.Contains("Coordinator:Limits:" + key, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ConfigureKestrel_Options_SetEveryConnectionLimit()
    {
        var limits = new KestrelServerOptions().Limits;
        var options = new LimitsOptions { MaxConnections = 7, MaxStreamsPerConnection = 9, RequestHeadersTimeout = TimeSpan.FromSeconds(3), KeepAliveTimeout = TimeSpan.FromSeconds(4) };

        LimitsServices.ConfigureKestrel(limits, options);

        Assert.Equal(7, limits.MaxConcurrentConnections);
        Assert.Equal(7, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(9, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(3), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), limits.KeepAliveTimeout);
    }
}
