using System.Security.Cryptography;
using System.Threading.Channels;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Limits;
using Cluster.Tests.Bundles;
using Cluster.Tests.Coordinator.Security;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Api;

public sealed class BundleUploadTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CoordinatorBundles _bundles;
    private readonly BundlesEndpoint _endpoint;

    public BundleUploadTests()
    {
        _bundles = new CoordinatorBundles(OptionsFactory.Create(new BundleOptions { BundleDirectory = _folder.Path }), _time, NullLogger<CoordinatorBundles>.Instance);
        var limits = new LimitsOptions { MaxSubmitStreamsPerClient = 1, SubmitIdleTimeout = TimeSpan.FromSeconds(30) };
        _endpoint = new BundlesEndpoint(_bundles, new ClientLimits(OptionsFactory.Create(limits)), new CallerIdentity(), OptionsFactory.Create(limits), _time);
    }

    public void Dispose()
    {
        _bundles.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task UploadBundle_PastTheStreamLimit_ResourceExhaustedNamingItUntilOneEnds()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var open = new Upload();
        await open.Writer.WriteAsync(Header(bytes));
        var first = _endpoint.UploadBundle(open, Context());
        await open.Waiting.WaitAsync(Bound);

        var refused = await Assert.ThrowsAsync<RpcException>(() => _endpoint.UploadBundle(Complete(Header(bytes), Data(bytes)), Context()));
        await open.Writer.WriteAsync(Data(bytes));
        open.Writer.Complete();
        var done = await first.WaitAsync(Bound);
        var after = await _endpoint.UploadBundle(Complete(Header(bytes), Data(bytes)), Context()).WaitAsync(Bound);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("concurrent SubmitJob and UploadBundle streams per client: at most 1 (Coordinator:Limits:MaxSubmitStreamsPerClient)", refused.Status.Detail);
        Assert.Equal((bytes.Length, bytes.Length), (done.ReceivedBytes, after.ReceivedBytes));
        Assert.Equal([Id(bytes)], _bundles.Store.Ids);
    }

    [Fact]
    public async Task UploadBundle_SilentPastIdleTimeout_ResourceExhaustedAndNothingKept()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var loris = new Upload();
        await loris.Writer.WriteAsync(Header(bytes));
        await loris.Writer.WriteAsync(Data(bytes[..10]));
        var upload = _endpoint.UploadBundle(loris, Context());
        await loris.Waiting.WaitAsync(Bound);

        _time.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<RpcException>(() => upload.WaitAsync(Bound));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.StartsWith("UploadBundle stream idle timeout: at most 30 s without a message (Coordinator:Limits:SubmitIdleTimeout)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_bundles.Store.Ids);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task UploadBundle_BytesThatDoNotHashToTheId_InvalidArgumentNamingTheFieldAndNothingKept()
    {
        var declared = RandomNumberGenerator.GetBytes(1000);
        var sent = (byte[])declared.Clone();
        sent[500] ^= 1;

        var error = await Assert.ThrowsAsync<RpcException>(() => _endpoint.UploadBundle(Complete(Header(declared), Data(sent)), Context()).WaitAsync(Bound));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"header.bundle_id does not match the bytes sent: their SHA-256 is {Id(sent)}", error.Status.Detail);
        Assert.Empty(_bundles.Store.Ids);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    private static string Id(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static UploadBundleRequest Header(byte[] bytes) => new() { Header = new BundleHeader { BundleId = Id(bytes), Size = bytes.Length } };

    private static UploadBundleRequest Data(byte[] bytes) => new() { Data = ByteString.CopyFrom(bytes) };

    private static Upload Complete(params UploadBundleRequest[] messages)
    {
        var upload = new Upload();
        foreach (var message in messages)
        {
            Assert.True(upload.Writer.TryWrite(message));
        }

        upload.Writer.Complete();
        return upload;
    }

    private static FakeServerCallContext Context() => new("/cluster.v1.BundleService/UploadBundle", peer: "ipv4:127.0.0.1:5000");

    /// <summary>An upload stream the test writes to; <see cref="Waiting"/> completes when the server asks for a message that has not come.</summary>
    private sealed class Upload : IAsyncStreamReader<UploadBundleRequest>
    {
        private readonly Channel<UploadBundleRequest> _messages = Channel.CreateUnbounded<UploadBundleRequest>();
        private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ChannelWriter<UploadBundleRequest> Writer => _messages.Writer;

        public Task Waiting => _waiting.Task;

        public UploadBundleRequest Current { get; private set; } = new();

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!_messages.Reader.TryRead(out var next))
            {
                _waiting.TrySetResult();
                if (!await _messages.Reader.WaitToReadAsync(cancellationToken) || !_messages.Reader.TryRead(out next))
                {
                    return false;
                }
            }

            Current = next;
            return true;
        }
    }
}
