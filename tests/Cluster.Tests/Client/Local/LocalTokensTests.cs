using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Coordinator.Security;
using Cluster.Processes;

namespace Cluster.Tests.Client.Local;

public sealed class LocalTokensTests
{
    [Fact]
    public void Create_TwoFreshSecrets_FileOwnerOnlyReadByTheCoordinatorAndDeletedOnDispose()
    {
        string path;
        using (var tokens = LocalTokens.Create())
        {
            path = tokens.FilePath;
            var entries = TokenFile.Load(path);

            Assert.Equal([(LocalTokens.WorkerName, TokenRole.Worker), (LocalTokens.ClientName, TokenRole.Client)], entries.Select(e => (e.Name, e.Role)));
            Assert.Equal(TokenFile.Hash(tokens.WorkerSecret), entries[0].SecretHash);
            Assert.Equal(TokenFile.Hash(tokens.ClientSecret), entries[1].SecretHash);
            Assert.NotEqual(tokens.WorkerSecret, tokens.ClientSecret);
            Assert.Equal(43, tokens.ClientSecret.Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void CoordinatorArgs_TokensFile_PassedBeforeTheCallersArgs()
    {
        var launcher = new ClusterLauncher(new LocalClusterOptions
        {
            CoordinatorCommand = new ProcessCommand("coordinator", []),
            WorkerCommand = new ProcessCommand("worker", []),
            CoordinatorArgs = ["--tokens", "mine"],
        });

        var args = launcher.CoordinatorArgs(0, "/tmp/generated");

        Assert.Equal(["--port", "0", "--http-port", "0", "--host", "127.0.0.1", ProcessFlags.ExitWithParent, ClusterLauncher.WorkersShareFiles, "--tokens", "/tmp/generated", "--tokens", "mine"], args);
    }

    [Fact]
    public void WithDefaultToken_OptionsWithoutToken_CopyKeepsEverythingElse()
    {
        var options = new ClusterClientOptions { CallTimeout = TimeSpan.FromSeconds(3), WatchRetryAttempts = 1 };

        var copy = options.WithDefaultToken("s");

        Assert.Equal(("s", TimeSpan.FromSeconds(3), 1), (copy.Token, copy.CallTimeout, copy.WatchRetryAttempts));
        Assert.Null(options.Token);
        Assert.Same(copy, copy.WithDefaultToken("other"));
    }
}
