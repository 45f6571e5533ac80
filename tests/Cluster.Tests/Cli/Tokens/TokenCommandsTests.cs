using System.CommandLine;
using Cluster.Cli.Commands.Tokens;
using Cluster.Cli.Common;
using Cluster.Coordinator.Security;

namespace Cluster.Tests.Cli.Tokens;

public sealed class TokenCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cluster-token-new-").FullName;

    private string FilePath => Path.Combine(_dir, "tokens");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task New_FreshFile_CreatedOwnerOnlyWithTheLineAndPrintsTheSecretOnce()
    {
        var console = new TestConsole();

        var code = await new RootCommand { TokenCommands.Create(console.Console) }.Parse(["token", "new", "alice", "--role", "client", "--tokens", FilePath]).InvokeAsync();

        Assert.Equal(0, code);
        var secret = console.Out.ToString().Trim();
        Assert.Equal(43, secret.Length);
        Assert.DoesNotContain(secret, console.Error.ToString(), StringComparison.Ordinal);
        var entry = Assert.Single(TokenFile.Load(FilePath));
        Assert.Equal(("alice", TokenRole.Client), (entry.Name, entry.Role));
        Assert.Equal(TokenFile.Hash(secret), entry.SecretHash);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        }
    }

    [Fact]
    public void New_ExistingFile_AppendsAndKeepsTheOthers()
    {
        File.WriteAllText(FilePath, "# ops\nw1:worker:worker-secret-0123456789");
        var console = new TestConsole();

        TokenCommands.New(console.Console, "root", "ADMIN", FilePath);
        TokenCommands.New(console.Console, "bob", "client", FilePath);

        Assert.Equal(["w1", "root", "bob"], TokenFile.Load(FilePath).Select(e => e.Name));
        var secrets = console.Out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("alice", "root", "--role must be worker, client or admin")]
    [InlineData("al ice", "client", "NAME must be")]
    [InlineData("w1", "client", "already has a token named 'w1'")]
    public void New_BadRequest_UsageErrorAndFileUnchanged(string name, string role, string expected)
    {
        const string Text = "w1:worker:worker-secret-0123456789\n";
        File.WriteAllText(FilePath, Text);

        var ex = Assert.Throws<CliUsageException>(() => TokenCommands.New(new TestConsole().Console, name, role, FilePath));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Text, File.ReadAllText(FilePath));
    }
}
