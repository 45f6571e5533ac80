using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Jobs.InProcess;

public sealed class JobInputTests
{
    [Fact]
    public void MemoryJobInput_ReadAcrossEnd_ReturnsTheRestThenZero()
    {
        var input = new MemoryJobInput(new byte[] { 1, 2, 3, 4, 5 });
        var buffer = new byte[4];

        Assert.Equal(2, input.Read(3, buffer));
        Assert.Equal([4, 5], buffer[..2]);
        Assert.Equal(0, input.Read(5, buffer));
    }

    [Fact]
    public void FileJobInput_ReadAtOffsets_MatchesFileContents()
    {
        var path = Path.GetTempFileName();
        try
        {
            var data = new byte[10_000];
            new Random(6).NextBytes(data);
            File.WriteAllBytes(path, data);
            using var input = new FileJobInput(path);
            var buffer = new byte[300];

            Assert.Equal(data.Length, input.Length);
            Assert.Equal(300, input.Read(1_234, buffer));
            Assert.Equal(data[1_234..1_534], buffer);
            Assert.Equal(100, input.Read(9_900, buffer));
            Assert.Equal(0, input.Read(10_000, buffer));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
