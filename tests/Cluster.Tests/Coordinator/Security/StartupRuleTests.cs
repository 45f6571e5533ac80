using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Security;
using Cluster.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Security;

public sealed class StartupRuleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public void Validate_LoopbackWithoutTokens_StaysOpen(string host)
    {
        Assert.True(Validate(host, new AuthOptions()).Succeeded);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    public void Validate_NonLoopbackWithoutTokens_RefusedNamingBothWaysOut(string host)
    {
        var result = Validate(host, new AuthOptions());

        Assert.True(result.Failed);
        Assert.Contains("--tokens FILE", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("--insecure", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonLoopbackInsecure_Allowed()
    {
        Assert.True(Validate("0.0.0.0", new AuthOptions { Insecure = true }).Succeeded);
    }

    [Fact]
    public void Validate_BadTokenFile_OneFailureNamingTheLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# ok\nalice:client\n");

            var result = Validate("0.0.0.0", new AuthOptions { TokensFile = path });

            Assert.True(result.Failed);
            Assert.Contains("line 2: expected NAME:ROLE:SECRET", result.FailureMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task InsecureWarning_Insecure_WarnsAtStartAndEveryFiveMinutes()
    {
        var time = new SignallingTimeProvider();
        var logger = new ListLogger<InsecureWarning>();
        using var warning = new InsecureWarning(OptionsFactory.Create(new AuthOptions { Insecure = true }), time, logger);

        await warning.StartAsync(CancellationToken.None);
        await time.WaitForTimerAsync(Bound);
        Assert.Single(logger.Lines);
        time.Advance(InsecureWarning.Interval);
        await time.WaitForTimerAsync(Bound);
        Assert.Equal(2, logger.Lines.Count);
        time.Advance(InsecureWarning.Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(2, logger.Lines.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync(Bound);
        Assert.Equal(3, logger.Lines.Count);
        await warning.StopAsync(CancellationToken.None);

        Assert.Contains("--insecure", logger.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsecureWarning_NotInsecure_NeverWarns()
    {
        var logger = new ListLogger<InsecureWarning>();
        using var warning = new InsecureWarning(OptionsFactory.Create(new AuthOptions()), new FakeTimeProvider(), logger);

        await warning.StartAsync(CancellationToken.None);
        await warning.StopAsync(CancellationToken.None);

        Assert.Empty(logger.Lines);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string host, AuthOptions options) =>
        new AuthOptionsValidator(OptionsFactory.Create(new CoordinatorOptions { Host = host })).Validate(null, options);
}
