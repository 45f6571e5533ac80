using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Security;

/// <summary>
/// The tokens in force: loaded from <see cref="AuthOptions.TokensFile"/> at start and on <see cref="Reload"/>.
/// Secrets are held as SHA-256 hashes only and compared in constant time against every entry.
/// </summary>
internal sealed partial class TokenStore
{
    private readonly ILogger<TokenStore> _logger;
    private readonly OpenStreams _streams;
    private readonly Lock _reloadLock = new();
    private volatile IReadOnlyList<TokenEntry> _entries = [];

    public TokenStore(IOptions<AuthOptions> options, OpenStreams streams, ILogger<TokenStore> logger)
    {
        _logger = logger;
        _streams = streams;
        FilePath = options.Value.TokensFile;
        if (Enabled)
        {
            _entries = TokenFile.Load(FilePath);
        }
    }

    /// <summary>Whether tokens are checked at all; without a token file every caller is <see cref="Caller.Anonymous"/>.</summary>
    public bool Enabled => FilePath.Length > 0;

    /// <summary>The token file, or empty.</summary>
    public string FilePath { get; }

    /// <summary>Names of the tokens in force.</summary>
    public IReadOnlyList<string> Names => [.. _entries.Select(e => e.Name)];

    /// <summary>The caller whose token's secret is <paramref name="secret"/>, or <see langword="null"/>.</summary>
    public Caller? Authenticate(string secret)
    {
        var hash = TokenFile.Hash(secret);
        TokenEntry? found = null;

        // Every entry is compared, so the time taken does not tell which one (or whether any) matched.
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(entry.SecretHash, hash))
            {
                found = entry;
            }
        }

        return found is null ? null : new Caller(found.Name, found.Role);
    }

    /// <summary>
    /// Reads the token file again. Tokens gone or changed stop working at once, and the streams opened with them
    /// are closed. A file that cannot be read or has a bad line keeps the tokens in force and is logged.
    /// </summary>
    /// <returns>Whether the file was loaded.</returns>
    public bool Reload()
    {
        if (!Enabled)
        {
            return false;
        }

        lock (_reloadLock)
        {
            IReadOnlyList<TokenEntry> fresh;
            try
            {
                fresh = TokenFile.Load(FilePath);
            }
            catch (TokenFileException ex)
            {
                LogReloadFailed(_logger, ex.Message);
                return false;
            }

            var old = _entries;
            _entries = fresh;
            var revoked = old
                .Where(o => !fresh.Any(n => n.Name == o.Name && n.Role == o.Role && CryptographicOperations.FixedTimeEquals(n.SecretHash, o.SecretHash)))
                .Select(o => o.Name)
                .ToList();
            LogReloaded(_logger, FilePath, fresh.Count, revoked.Count);
            foreach (var name in revoked)
            {
                _streams.CloseAll(name);
            }

            return true;
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Token file {Path} reloaded: {Count} tokens, {Revoked} revoked or changed")]
    private static partial void LogReloaded(ILogger logger, string path, int count, int revoked);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Token file not reloaded, the tokens in force stay: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
