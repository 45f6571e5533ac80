using Cluster.Hosting.Inputs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Hosting.Inputs;

public sealed class HttpInputServicesTests
{
    private const string Section = "Coordinator:HttpInput";

    [Fact]
    public void AddHttpInput_SectionOverProcessDefaults_BoundAndTheSourceRegisteredOnce()
    {
        using var provider = Provider(new() { [Section + ":Retries"] = "7" }, probe => probe.AttemptTimeout = TimeSpan.FromSeconds(10));

        var settings = provider.GetRequiredService<IOptions<HttpInputSettings>>().Value;

        Assert.Equal(7, settings.Retries);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AttemptTimeout);
        Assert.Equal(new HttpInputSettings().RetryDelay, settings.RetryDelay);
        Assert.Same(provider.GetRequiredService<HttpInputSource>(), provider.GetRequiredService<HttpInputSource>());
    }

    [Theory]
    [InlineData("Retries", "-1", "Coordinator:HttpInput:Retries must be between 0 and 100.")]
    [InlineData("RetryDelay", "00:20:00", "Coordinator:HttpInput:RetryDelay must be between 0 and 10 minutes.")]
    [InlineData("RetryMaxDelay", "00:00:00.100", "Coordinator:HttpInput:RetryMaxDelay must be at least RetryDelay and at most 1 hour.")]
    [InlineData("AttemptTimeout", "00:00:00", "Coordinator:HttpInput:AttemptTimeout must be positive and at most 1 day.")]
    public void AddHttpInput_SettingOutOfRange_RefusedNamingTheSettingAndRule(string key, string value, string message)
    {
        using var provider = Provider(new() { [Section + ":" + key] = value }, defaults: null);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HttpInputSettings>>().Value);

        Assert.Contains(message, ex.Failures);
    }

    [Fact]
    public void Validate_Defaults_Pass() =>
        Assert.True(new HttpInputSettingsValidator("Worker:HttpInput").Validate(null, new HttpInputSettings()).Succeeded);

    private static ServiceProvider Provider(Dictionary<string, string?> values, Action<HttpInputSettings>? defaults)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddHttpInput(configuration, Section, defaults).BuildServiceProvider();
    }
}
