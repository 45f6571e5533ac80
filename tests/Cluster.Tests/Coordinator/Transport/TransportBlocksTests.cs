using System.Reflection;
using Cluster.Coordinator;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Transport;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Coordinator.Transport;

public sealed class TransportBlocksTests
{
    [Fact]
    public void Rent_SmallerThanBlock_GivesWholeBlock()
    {
        using var pool = new TransportBlocks(64 << 10).Create();

        using var block = pool.Rent(2048);

        Assert.True(block.Memory.Length >= 64 << 10, $"{block.Memory.Length} bytes");
    }

    [Fact]
    public void Rent_LargerThanBlock_GivesWhatWasAsked()
    {
        using var pool = new TransportBlocks(64 << 10).Create();

        using var block = pool.Rent(1 << 20);

        Assert.True(block.Memory.Length >= 1 << 20, $"{block.Memory.Length} bytes");
    }

    [Fact]
    public void Dispose_Twice_MemoryGoneAndNoThrow()
    {
        using var pool = new TransportBlocks(4096).Create();
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        Assert.Throws<ObjectDisposedException>(() => block.Memory);
    }

    [Fact]
    public async Task Build_CoordinatorHost_SocketTransportReadsIntoTransportBlocks()
    {
        await using var app = CoordinatorApp.Build(["--port", "0"]);

        Assert.IsType<TransportBlocks>(SocketPoolFactory(app.Services));
    }

    [Fact]
    public async Task Build_TransportBlockBytesZero_KestrelKeepsItsOwnPool()
    {
        await using var app = CoordinatorApp.Build(["--port", "0", "--Coordinator:TransportBlockBytes=0"]);

        var factory = SocketPoolFactory(app.Services);
        Assert.NotNull(factory);
        Assert.IsNotType<TransportBlocks>(factory);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(32 << 20)]
    public void Validate_TransportBlockBytesOutOfRange_FailsNamingSetting(int bytes)
    {
        var result = new CoordinatorOptionsValidator().Validate(null, new CoordinatorOptions { TransportBlockBytes = bytes });

        Assert.True(result.Failed);
        Assert.Contains("Coordinator:TransportBlockBytes must be 0", result.FailureMessage, StringComparison.Ordinal);
    }

    // Kestrel keeps the factory its socket transport takes in an internal property: read it, so that the test fails if
    // the transport stops taking ours (a Kestrel upgrade that renames it fails here too, which is as wanted).
    private static object? SocketPoolFactory(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        var property = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        Assert.NotNull(property);
        return property.GetValue(options);
    }
}
