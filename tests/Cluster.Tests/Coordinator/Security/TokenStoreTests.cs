using Cluster.Coordinator.Security;
using Microsoft.Extensions.Logging.Abstractions;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Security;

public sealed class TokenStoreTests : IDisposable
{
    private const string AliceSecret = "alice-secret-0123456789";
    private const string BobSecret = "bob-secret-0123456789";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cluster-tokens-{Guid.NewGuid():N}.txt");
    private readonly OpenStreams _streams = new();
    private readonly ListLogger<TokenStore> _logger = new();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Authenticate_KnownSecret_ReturnsItsNameAndRole()
    {
        var store = Create($"alice:client:{AliceSecret}\nbob:admin:{BobSecret}\n");

        Assert.Equal(new Caller("alice", TokenRole.Client), store.Authenticate(AliceSecret));
        Assert.Equal(new Caller("bob", TokenRole.Admin), store.Authenticate(BobSecret));
        Assert.Null(store.Authenticate("alice-secret-012345678"));
        Assert.Null(store.Authenticate(string.Empty));
    }

    [Fact]
    public void Enabled_NoTokenFile_IsFalse()
    {
        var store = new TokenStore(OptionsFactory.Create(new AuthOptions()), _streams, NullLogger<TokenStore>.Instance);

        Assert.False(store.Enabled);
        Assert.False(store.Reload());
    }

    [Fact]
    public void Reload_LineRemoved_TokenStopsWorkingAndItsStreamsAreClosed()
    {
        var store = Create($"alice:client:{AliceSecret}\nbob:admin:{BobSecret}\n");
        using var aliceStream = new CancellationTokenSource();
        using var bobStream = new CancellationTokenSource();
        using var a = _streams.Register("alice", aliceStream);
        using var b = _streams.Register("bob", bobStream);

        File.WriteAllText(_path, $"bob:admin:{BobSecret}\n");
        Assert.True(store.Reload());

        Assert.Null(store.Authenticate(AliceSecret));
        Assert.NotNull(store.Authenticate(BobSecret));
        Assert.True(aliceStream.IsCancellationRequested);
        Assert.False(bobStream.IsCancellationRequested);
    }

    [Fact]
    public void Reload_RoleChanged_ClosesTheStreamsOpenedWithTheOldRole()
    {
        var store = Create($"alice:admin:{AliceSecret}\n");
        using var stream = new CancellationTokenSource();
        using var registration = _streams.Register("alice", stream);

        File.WriteAllText(_path, $"alice:client:{AliceSecret}\n");
        store.Reload();

        Assert.True(stream.IsCancellationRequested);
        Assert.Equal(TokenRole.Client, store.Authenticate(AliceSecret)!.Role);
    }

    [Fact]
    public void Reload_BadFile_KeepsTheTokensInForceAndLogsWithoutTheSecret()
    {
        var store = Create($"alice:client:{AliceSecret}\n");

        File.WriteAllText(_path, $"alice:client:{AliceSecret}\nbob:nobody:{BobSecret}\n");
        Assert.False(store.Reload());

        Assert.NotNull(store.Authenticate(AliceSecret));
        var line = Assert.Single(_logger.Lines);
        Assert.Contains("line 2: ROLE must be", line, StringComparison.Ordinal);
        Assert.DoesNotContain(BobSecret, line, StringComparison.Ordinal);
    }

    private TokenStore Create(string text)
    {
        File.WriteAllText(_path, text);
        return new TokenStore(OptionsFactory.Create(new AuthOptions { TokensFile = _path }), _streams, _logger);
    }
}
