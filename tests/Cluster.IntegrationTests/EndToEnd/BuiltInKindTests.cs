using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Jobs.BuiltIn.Mandelbrot;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.EndToEnd;

/// <summary>Every built-in kind on two real worker processes, checked against an answer computed another way.</summary>
[Collection(ProcessCollection.Name)]
public sealed partial class BuiltInKindTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Primes_ToOneBillion_IsKnownConstant()
    {
        await using var cluster = await TestCluster.StartAsync(output);

        var job = await cluster.RunAsync(Spec("primes", ("from", 0L), ("to", 1_000_000_000L)));

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(50_847_534, Json(job).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Primes_RangeAboveOneBillion_MatchesTrialDivision()
    {
        const long from = 1_000_000_000, to = 1_000_100_000;
        await using var cluster = await TestCluster.StartAsync(output);
        var spec = Spec("primes", ("from", from), ("to", to));
        spec.Chunks = 13;

        var job = await cluster.RunAsync(spec);

        Assert.Equal(CountByTrialDivision(from, to), Json(job).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Pi_SameSeed_IdenticalAcrossChunkingsAndNearPi()
    {
        const long samples = 20_000_000;
        await using var cluster = await TestCluster.StartAsync(output);
        var few = Spec("pi", ("samples", samples), ("seed", 42L));
        few.Chunks = 3;
        var many = Spec("pi", ("samples", samples), ("seed", 42L));
        many.Chunks = 57;

        var a = Json(await cluster.RunAsync(few));
        var b = Json(await cluster.RunAsync(many));

        Assert.Equal(a.GetProperty("inside").GetInt64(), b.GetProperty("inside").GetInt64());
        var p = Math.PI / 4;
        var standardError = 4 * Math.Sqrt(p * (1 - p) / samples);
        Assert.InRange(a.GetProperty("estimate").GetDouble(), Math.PI - (5 * standardError), Math.PI + (5 * standardError));
    }

    [Fact]
    public async Task Mandelbrot_Png_IdenticalToSequentialRenderWhateverTheWorkers()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        var spec = Spec("mandelbrot", ("width", 320L), ("height", 240L), ("max-iter", 200L));
        spec.Chunks = 11;

        var job = await cluster.RunAsync(spec);
        using var png = new MemoryStream();
        await cluster.Client.DownloadResultAsync(job.JobId, png).WaitAsync(TestCluster.JobTimeout);

        var sequential = new byte[320 * 240];
        MandelbrotRenderer.RenderRows(new MandelbrotView(320, 240, 200, -0.5, 0, 3.0), 0, 240, sequential);
        Assert.Equal(PngEncoder.EncodeGray8(sequential, 320, 240), png.ToArray());
        Assert.Equal("image/png", job.ResultContentType);
    }

    [Fact]
    public async Task Sha256_BlockDigests_MatchSha256sumOfEachBlock()
    {
        var dir = Directory.CreateTempSubdirectory("cluster-sha-");
        try
        {
            var path = Path.Combine(dir.FullName, "input.bin");
            var data = RandomNumberGenerator.GetBytes((10 << 20) + 12345);
            await File.WriteAllBytesAsync(path, data);
            await using var cluster = await TestCluster.StartAsync(output);

            await using var input = File.OpenRead(path);
            var job = await cluster.RunAsync(Spec("sha256", ("block-size", 1L << 20)), input);

            var result = Json(job);
            var blocks = result.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
            Assert.Equal(11, blocks.Count);
            for (var i = 0; i < blocks.Count; i++)
            {
                var block = Path.Combine(dir.FullName, $"block{i}");
                await File.WriteAllBytesAsync(block, data.AsMemory(i << 20, Math.Min(1 << 20, data.Length - (i << 20))).ToArray());
                Assert.Equal(await Sha256sumAsync(block), blocks[i]);
            }

            var concatenated = Convert.FromHexString(string.Concat(blocks));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(concatenated)), result.GetProperty("root").GetString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WordCount_Top_MatchesSequentialRegexCount()
    {
        var text = MakeText(lines: 20_000);
        await using var cluster = await TestCluster.StartAsync(output);
        var spec = Spec("wordcount", ("top", 20L));
        spec.Chunks = 9;

        var job = await cluster.RunAsync(spec, new MemoryStream(Encoding.UTF8.GetBytes(text)));

        var expected = WordRegex().Matches(text).Select(m => m.Value.ToLowerInvariant()).GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Count: (long)g.Count())).ToList();
        var top = expected.OrderByDescending(e => e.Count).ThenBy(e => e.Word, StringComparer.Ordinal).Take(20).ToList();
        var result = Json(job);
        Assert.Equal(expected.Sum(e => e.Count), result.GetProperty("total").GetInt64());
        Assert.Equal(expected.Count, result.GetProperty("distinct").GetInt64());
        Assert.Equal(top, result.GetProperty("top").EnumerateArray().Select(t => (t.GetProperty("word").GetString()!, t.GetProperty("count").GetInt64())).ToList());
    }

    [Fact]
    public async Task NoopAndSleep_EveryChunkMerged()
    {
        await using var cluster = await TestCluster.StartAsync(output);
        var noop = Spec("noop");
        noop.Chunks = 20_000;
        var sleep = Spec("sleep", ("ms", 20L));
        sleep.Chunks = 10;

        var a = await cluster.RunAsync(noop);
        var b = await cluster.RunAsync(sleep);

        Assert.Equal(20_000, Json(a).GetProperty("chunks").GetInt64());
        Assert.Equal(20_000, a.ChunksDone);
        Assert.Equal(JobState.Succeeded, b.State);
        Assert.Equal(10, b.ChunksDone);
    }

    internal static JobSpec Spec(string kind, params (string Name, object Value)[] parameters) =>
        JobSpecs.Create(kind, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    internal static JsonElement Json(JobInfo job)
    {
        Assert.True(job.State == JobState.Succeeded, $"job {job.JobId} ended {job.State}: {job.Error}");
        return JsonDocument.Parse(job.ResultJson).RootElement;
    }

    private static long CountByTrialDivision(long from, long to)
    {
        long count = 0;
        for (var n = from; n < to; n++)
        {
            var prime = n >= 2;
            for (long d = 2; d * d <= n && prime; d++)
            {
                prime = n % d != 0;
            }

            count += prime ? 1 : 0;
        }

        return count;
    }

    private static async Task<string> Sha256sumAsync(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [path]) { RedirectStandardOutput = true })!;
        var text = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return text.Split(' ')[0];
    }

    private static string MakeText(int lines)
    {
        string[] words = ["Alpha", "beta", "GAMMA", "straße", "émigré", "данные", "x1", "42", "ÉTÉ", "naïve", "zeta", "Beta"];
        var random = new Random(7);
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            var n = random.Next(0, 12);
            for (var j = 0; j < n; j++)
            {
                text.Append(words[random.Next(words.Length)]).Append(random.Next(4) switch { 0 => ", ", 1 => "-", 2 => " ", _ => "... " });
            }

            text.Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        return text.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex WordRegex();
}
