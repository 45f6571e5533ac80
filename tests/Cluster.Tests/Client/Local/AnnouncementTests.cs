using Cluster.Client.Local;
using Cluster.Processes;

namespace Cluster.Tests.Client.Local;

public sealed class AnnouncementTests
{
    [Theory]
    [InlineData("listening: http://127.0.0.1:41234", "http://127.0.0.1:41234/")]
    [InlineData("listening: http://127.0.0.1:7400  \r", "http://127.0.0.1:7400/")]
    public void TryParseListening_Announcement_ReturnsAddress(string line, string expected)
    {
        Assert.True(Announcement.TryParseListening(line, out var address));
        Assert.Equal(new Uri(expected), address);
    }

    [Theory]
    [InlineData("info: Now listening: http://127.0.0.1:5000")]
    [InlineData("listening: not a url")]
    [InlineData("listening: ftp://127.0.0.1:21")]
    [InlineData("listening:")]
    [InlineData("")]
    public void TryParseListening_OtherLine_IsNotAnAnnouncement(string line) =>
        Assert.False(Announcement.TryParseListening(line, out _));

    [Fact]
    public void TryParseListening_UsesContractPrefix() =>
        Assert.True(Announcement.TryParseListening(Announcements.Listening + "http://127.0.0.1:1", out _));

    [Fact]
    public void TryParseJoined_Announcement_ReturnsId()
    {
        Assert.True(Announcement.TryParseJoined("joined: local-2", out var id));
        Assert.Equal("local-2", id);
        Assert.False(Announcement.TryParseJoined("joined: ", out _));
        Assert.False(Announcement.TryParseJoined("worker joined: x", out _));
    }
}
