using System.Buffers.Text;
using System.Security.Cryptography;

namespace Cluster.Client.Local;

/// <summary>
/// The random tokens of a local cluster: one for its workers, one for its clients, written to a token file (mode
/// 0600, in a private temporary folder) for its coordinator. Disposing deletes the folder.
/// </summary>
internal sealed class LocalTokens : IDisposable
{
    /// <summary>Name of the workers' token in the file.</summary>
    public const string WorkerName = "local-workers";

    /// <summary>Name of the clients' token in the file: the owner of the jobs they submit.</summary>
    public const string ClientName = "local-client";

    private readonly string _folder;

    private LocalTokens(string folder, string workerSecret, string clientSecret)
    {
        _folder = folder;
        WorkerSecret = workerSecret;
        ClientSecret = clientSecret;
        FilePath = Path.Combine(folder, "tokens");
    }

    public string WorkerSecret { get; }

    public string ClientSecret { get; }

    public string FilePath { get; }

    /// <summary>Makes two fresh 256-bit secrets and writes the token file.</summary>
    public static LocalTokens Create()
    {
        // On Unix the folder is created with mode 0700.
        var folder = Directory.CreateTempSubdirectory("cluster-local-").FullName;
        var tokens = new LocalTokens(folder, NewSecret(), NewSecret());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(tokens.FilePath, options))
        {
            writer.Write($"# written by a local cluster; deleted when it stops\n{WorkerName}:worker:{tokens.WorkerSecret}\n{ClientName}:client:{tokens.ClientSecret}\n");
        }

        return tokens;
    }

    /// <summary>A fresh random secret: 256 bits, base64url.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the temp folder; it holds only this cluster's secrets, which died with it.
        }
    }
}
