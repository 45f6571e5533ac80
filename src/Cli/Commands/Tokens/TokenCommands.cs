using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using Cluster.Cli.Common;
using Cluster.Coordinator.Security;

namespace Cluster.Cli.Commands.Tokens;

/// <summary><c>cluster token new NAME --role ROLE [--tokens FILE]</c>: adds a fresh random token to a coordinator's token file.</summary>
internal static class TokenCommands
{
    /// <summary>Token file written when <c>--tokens</c> is not given: <c>cluster-tokens</c> in the current folder.</summary>
    public const string DefaultFile = "cluster-tokens";

    /// <summary>Bits of randomness in a generated secret: 256.</summary>
    public const int SecretBytes = 32;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("NAME") { Description = "Who holds the token: shown as the owner of the jobs it submits" };
        var role = new Option<string>("--role") { Description = "worker, client or admin", HelpName = "ROLE", Required = true };
        var tokens = new Option<FileInfo?>("--tokens") { Description = $"Token file to append to, created with mode 0600 (default ./{DefaultFile})", HelpName = "FILE" };
        var create = new Command("new", "Append a fresh random token to a token file and print its secret once") { name, role, tokens };
        create.SetAction(parse => New(console, parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(tokens)?.FullName ?? DefaultFile));
        return new Command("token", "Manage the tokens a coordinator accepts (--tokens FILE)") { create };
    }

    /// <summary>Appends <c>NAME:ROLE:SECRET</c> to <paramref name="path"/> and prints the secret; the file keeps (or gets) mode 0600.</summary>
    public static int New(CliConsole console, string name, string role, string path)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!TokenFile.IsValidName(name))
        {
            throw new CliUsageException($"NAME must be 1 to 64 letters, digits, '.', '_' or '-', not '{name}'.");
        }

        if (!TokenFile.TryParseRole(role, out var parsed))
        {
            throw new CliUsageException($"--role must be worker, client or admin, not '{role}'.");
        }

        var existing = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        try
        {
            if (TokenFile.Parse(existing, path).Any(e => e.Name == name))
            {
                throw new CliUsageException($"'{path}' already has a token named '{name}'; remove its line first to replace it.");
            }
        }
        catch (TokenFileException e)
        {
            throw new CliUsageException(e.Message + "; fix the file first.");
        }

        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var line = $"{name}:{parsed.ToString().ToLowerInvariant()}:{secret}\n";
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            if (existing.Length > 0 && !existing.EndsWith('\n'))
            {
                writer.Write('\n');
            }

            writer.Write(line);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        console.Out.WriteLine(secret);
        console.Error.WriteLine($"Added token '{name}' (role {parsed.ToString().ToLowerInvariant()}) to {path}. The secret above is shown only now; a coordinator running with --tokens {path} accepts it at once.");
        return 0;
    }
}
