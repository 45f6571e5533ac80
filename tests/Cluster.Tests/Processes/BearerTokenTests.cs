using Cluster.Processes;

namespace Cluster.Tests.Processes;

public sealed class BearerTokenTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cluster-token-{Guid.NewGuid():N}.txt");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Read_FileWithCommentAndSecret_ReturnsTheSecret()
    {
        File.WriteAllText(_path, "# mine\n\n  abc-secret-0123456789  \n");

        Assert.Equal("abc-secret-0123456789", BearerToken.Read(_path));
    }

    [Fact]
    public void Read_LineOfACoordinatorTokenFile_ReturnsItsSecret()
    {
        File.WriteAllText(_path, "alice:client:abc-secret-0123456789\n");

        Assert.Equal("abc-secret-0123456789", BearerToken.Read(_path));
    }

    [Fact]
    public void Read_EmptyFile_IOExceptionSayingSo()
    {
        File.WriteAllText(_path, "# nothing\n");

        var ex = Assert.Throws<IOException>(() => BearerToken.Read(_path));

        Assert.Contains("holds no token", ex.Message, StringComparison.Ordinal);
    }
}
