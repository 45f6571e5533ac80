using System.Security.Cryptography;
using System.Text;

namespace Cluster.Coordinator.Security;

/// <summary>
/// Reads a token file: one token per line as <c>NAME:ROLE:SECRET</c> (roles <c>worker</c>, <c>client</c>,
/// <c>admin</c>); blank lines and lines starting with <c>#</c> are skipped. A bad line is an error naming its number
/// and the rule it breaks; the secret is never part of a message.
/// </summary>
internal static class TokenFile
{
    /// <summary>Shortest secret accepted, in characters: 16 (the generated ones have 43).</summary>
    public const int MinSecretLength = 16;

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="TokenFileException">The file cannot be read or has a bad line.</exception>
    public static IReadOnlyList<TokenEntry> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TokenFileException($"token file '{path}' cannot be read: {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    /// <summary>Parses the text of a token file; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="TokenFileException">A line breaks a rule.</exception>
    public static IReadOnlyList<TokenEntry> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<TokenEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                throw Bad(source, i, "expected NAME:ROLE:SECRET");
            }

            var (name, roleText, secret) = (parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
            if (!IsValidName(name))
            {
                throw Bad(source, i, "NAME must be 1 to 64 letters, digits, '.', '_' or '-'");
            }

            if (!TryParseRole(roleText, out var role))
            {
                throw Bad(source, i, "ROLE must be worker, client or admin");
            }

            if (secret.Length < MinSecretLength || secret.Any(char.IsWhiteSpace))
            {
                throw Bad(source, i, $"SECRET must be at least {MinSecretLength} characters without spaces");
            }

            if (!names.Add(name))
            {
                throw Bad(source, i, $"NAME '{name}' appears on an earlier line");
            }

            var hash = Hash(secret);
            if (entries.Any(e => CryptographicOperations.FixedTimeEquals(e.SecretHash, hash)))
            {
                throw Bad(source, i, "SECRET is the same as an earlier line's; each token needs its own");
            }

            entries.Add(new TokenEntry(name, role, hash));
        }

        return entries;
    }

    /// <summary>SHA-256 of a secret's UTF-8 bytes.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="name"/> can name a token: 1 to 64 letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Parses a role name, case-insensitively.</summary>
    public static bool TryParseRole(string text, out TokenRole role)
    {
        switch (text.ToUpperInvariant())
        {
            case "WORKER":
                role = TokenRole.Worker;
                return true;
            case "CLIENT":
                role = TokenRole.Client;
                return true;
            case "ADMIN":
                role = TokenRole.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }

    private static TokenFileException Bad(string source, int index, string rule) =>
        new($"token file '{source}' line {index + 1}: {rule}");
}
