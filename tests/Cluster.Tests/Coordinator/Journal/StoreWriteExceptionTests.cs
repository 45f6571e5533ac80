using Cluster.Coordinator.Journal;
using Grpc.Core;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class StoreWriteExceptionTests
{
    [DevFullFact]
    public void For_WriteToDevFull_OutOfSpaceResourceExhaustedAndSentenceNamesFieldFolderAndWhatToDo()
    {
        // The runtime's own exception for ENOSPC, not one made up here: /dev/full answers every write with it.
        var full = Assert.ThrowsAny<IOException>(() =>
        {
            using var device = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            device.Write(new byte[4096]);
        });

        var ex = StoreWriteException.For("input", "the upload", "/data/inputs", full, "submit the job again");

        Assert.True(ex.OutOfSpace);
        Assert.Equal(StatusCode.ResourceExhausted, ex.Status);
        Assert.StartsWith("input: the coordinator could not store the upload in /data/inputs: its disk is full (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("); free space there, then submit the job again.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, "input: " + ex.Sentence);
        Assert.Same(full, ex.InnerException);
    }

    [Fact]
    public void For_OtherIoError_InternalAndSaysToCheckTheDisk()
    {
        var ex = StoreWriteException.For("data", "the bundle", "/data/bundles", new IOException("Input/output error", 5), "upload it again");

        Assert.False(ex.OutOfSpace);
        Assert.Equal(StatusCode.Internal, ex.Status);
        Assert.Equal("data: the coordinator could not store the bundle in /data/bundles: the write failed (Input/output error); check that disk, then upload it again.", ex.Message);
    }
}

/// <summary>A fact that writes to <c>/dev/full</c>; skipped, with one line saying so, where there is none (not Linux).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DevFullFactAttribute : FactAttribute
{
    public DevFullFactAttribute()
    {
        if (!File.Exists("/dev/full"))
        {
            Skip = "There is no /dev/full here: the test needs the device whose every write fails for lack of space.";
        }
    }
}
