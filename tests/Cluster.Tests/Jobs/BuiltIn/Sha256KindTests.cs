using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class Sha256KindTests
{
    private const int MiB = 1024 * 1024;

    private readonly Sha256Kind _kind = new();

    [Fact]
    public void Run_RandomInput_EachBlockAndRootMatchSha256OfSlices()
    {
        var data = RandomBytes((10 * MiB) + 123, seed: 1);

        var summary = Summary(Run(_kind, Params(("block-size", (long)MiB)), input: new ShortReadInput(data, maxRead: 65_521)));

        var blocks = summary.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
        Assert.Equal(11, blocks.Count);
        Assert.Equal(11, summary.GetProperty("blockCount").GetInt64());
        Assert.Equal(data.Length, summary.GetProperty("length").GetInt64());
        Assert.Equal(MiB, summary.GetProperty("blockSize").GetInt64());
        var concatenated = new List<byte>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var digest = SHA256.HashData(data.AsSpan(i * MiB, Math.Min(MiB, data.Length - (i * MiB))));
            Assert.Equal(Convert.ToHexStringLower(digest), blocks[i]);
            concatenated.AddRange(digest);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(concatenated.ToArray())), summary.GetProperty("root").GetString());
    }

    [Fact]
    public void Run_ByReferenceFromAFile_EachBlockMatchesSha256OfSlicesAndUpload()
    {
        var data = RandomBytes((5 * MiB) + 77, seed: 3);
        var path = Path.Combine(Path.GetTempPath(), $"sha256-byref-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, data);
        try
        {
            using var file = new FileJobInput(path);
            var parameters = Params(("block-size", (long)MiB));

            var byReference = Summary(Run(_kind, parameters, new InProcessRunOptions { Threads = 2, InputByReference = true, ShuffleSeed = 4 }, file));
            var uploaded = Summary(Run(_kind, parameters, new InProcessRunOptions { Threads = 2 }, new MemoryJobInput(data)));

            var blocks = byReference.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
            Assert.Equal(6, blocks.Count);
            for (var i = 0; i < blocks.Count; i++)
            {
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i * MiB, Math.Min(MiB, data.Length - (i * MiB))))), blocks[i]);
            }

            Assert.Equal(uploaded.GetRawText(), byReference.GetRawText());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Execute_ByReferenceInputShorterThanPlanned_FailsSayingItChanged()
    {
        var parameters = JobParameters.Bind(_kind.Parameters, Params(("block-size", 100L)));
        var plan = _kind.Plan(new JobPlanContext(parameters, new MemoryJobInput(new byte[1_000]), new ChunkingRequest(0, 0, 4, 0)) { InputByReference = true });
        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        plan.WritePayload(9, payload);
        var executor = _kind.CreateExecutor(parameters, new MemoryJobInput(new byte[950]));

        var error = Assert.Throws<InvalidDataException>(() => executor.Execute(9, payload.WrittenSpan, new System.Buffers.ArrayBufferWriter<byte>(), CancellationToken.None));

        Assert.Contains("changed after the job was submitted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ShuffledOrderOnTwoThreads_SameResult()
    {
        var input = new MemoryJobInput(RandomBytes((3 * MiB) + 5, seed: 2));
        var parameters = Params(("block-size", 65_536L));

        var inOrder = Run(_kind, parameters, new InProcessRunOptions { Threads = 1 }, input).SummaryJson;
        var shuffled = Run(_kind, parameters, new InProcessRunOptions { Threads = 2, ShuffleSeed = 9 }, input).SummaryJson;

        Assert.Equal(inOrder, shuffled);
    }

    [Fact]
    public async Task Run_OneBlockFile_DigestMatchesSha256sum()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, RandomBytes((3 * MiB) + 7, seed: 3));
            JsonElement summary;
            using (var input = new FileJobInput(path))
            {
                summary = Summary(Run(_kind, Params(("block-size", 16L * MiB)), input: input));
            }

            var expected = await Sha256SumAsync(path);

            Assert.Equal(1, summary.GetProperty("blockCount").GetInt64());
            Assert.Equal(expected, summary.GetProperty("blocks")[0].GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(16_777_217L)]
    public void Plan_BlockSizeOutOfRange_ThrowsNamingBlockSize(long blockSize)
    {
        var ex = Rejects(_kind, Params(("block-size", blockSize)), input: new MemoryJobInput(new byte[10]));

        Assert.Equal("block-size", ex.Field);
    }

    [Fact]
    public void Plan_NoInput_ThrowsNamingInput()
    {
        Assert.Equal("input", Rejects(_kind, Params()).Field);
    }

    [Theory]
    [InlineData(4L, 0L, "chunks")]
    [InlineData(0L, 100L, "chunk_size")]
    public void Plan_UserChunking_ThrowsNamingField(long chunks, long chunkSize, string field)
    {
        var options = new InProcessRunOptions { Chunks = chunks, ChunkSize = chunkSize };

        var ex = Rejects(_kind, Params(), options, new MemoryJobInput(new byte[10]));

        Assert.Equal(field, ex.Field);
        Assert.Contains("block-size", ex.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MoreBlocksThanAllowed_ThrowsNamingBlockSize()
    {
        var options = new InProcessRunOptions { MaxChunks = 4 };

        Assert.Equal("block-size", Rejects(_kind, Params(("block-size", 2L)), options, new MemoryJobInput(new byte[10])).Field);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<string> Sha256SumAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var start = new ProcessStartInfo("sha256sum") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        return output.Split(' ', 2)[0];
    }

    // Returns fewer bytes than asked, as a network-backed input may, so the kind's read loop is exercised.
    private sealed class ShortReadInput(byte[] data, int maxRead) : IJobInput
    {
        private readonly MemoryJobInput _inner = new(data);

        public long Length => _inner.Length;

        public int Read(long offset, Span<byte> buffer) => _inner.Read(offset, buffer[..Math.Min(buffer.Length, maxRead)]);
    }
}
