using Cluster.Coordinator.Security;

namespace Cluster.Tests.Coordinator.Security;

public sealed class TokenFileTests
{
    private const string Secret = "s3cret-s3cret-s3cret";

    [Fact]
    public void Parse_CommentsBlankLinesAndThreeRoles_ReadsEachToken()
    {
        var entries = TokenFile.Parse($"# tokens\n\nw1:worker:{Secret}1\r\nalice:client:{Secret}2\n  root:ADMIN:{Secret}3  \n", "t");

        Assert.Equal(["w1", "alice", "root"], entries.Select(e => e.Name));
        Assert.Equal([TokenRole.Worker, TokenRole.Client, TokenRole.Admin], entries.Select(e => e.Role));
        Assert.Equal(TokenFile.Hash(Secret + "2"), entries[1].SecretHash);
    }

    [Fact]
    public void Parse_SecretWithColons_KeepsEverythingAfterTheSecondColon()
    {
        var entries = TokenFile.Parse($"a:client:{Secret}:x", "t");

        Assert.Equal(TokenFile.Hash(Secret + ":x"), entries[0].SecretHash);
    }

    [Theory]
    [InlineData("a:client", "line 2: expected NAME:ROLE:SECRET")]
    [InlineData("a b:client:" + Secret, "line 2: NAME must be")]
    [InlineData(":client:" + Secret, "line 2: NAME must be")]
    [InlineData("a:root:" + Secret, "line 2: ROLE must be worker, client or admin")]
    [InlineData("a:client:short-secret", "line 2: SECRET must be at least 16 characters")]
    [InlineData("ok:client:" + Secret + "-other", "line 2: NAME 'ok' appears on an earlier line")]
    [InlineData("b:admin:" + Secret, "line 2: SECRET is the same as an earlier line's")]
    public void Parse_BadLine_NamesTheLineAndRuleButNotTheSecret(string line, string expected)
    {
        var ex = Assert.Throws<TokenFileException>(() => TokenFile.Parse($"ok:client:{Secret}\n{line}\n", "tokens.txt"));

        Assert.Contains("token file 'tokens.txt' " + expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysItCannotBeRead()
    {
        var ex = Assert.Throws<TokenFileException>(() => TokenFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

        Assert.Contains("cannot be read", ex.Message, StringComparison.Ordinal);
    }
}
