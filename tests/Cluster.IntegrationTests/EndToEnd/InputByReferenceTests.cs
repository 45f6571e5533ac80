using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.EndToEnd;

/// <summary>Inputs named by <c>input_url</c>, read by the worker processes themselves, give what uploading them gives.</summary>
[Collection(ProcessCollection.Name)]
public sealed partial class InputByReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sha256AndWordCount_ByFileUrl_SameResultsAsUploadAndAsSequential()
    {
        var dir = Directory.CreateTempSubdirectory("cluster-byref-");
        try
        {
            var binary = Path.Combine(dir.FullName, "input.bin");
            var data = RandomNumberGenerator.GetBytes((5 << 20) + 4321);
            await File.WriteAllBytesAsync(binary, data);
            var textPath = Path.Combine(dir.FullName, "input.txt");
            var text = MakeText(seed: 3, lines: 30_000);
            await File.WriteAllTextAsync(textPath, text);
            await using var cluster = await TestCluster.StartAsync(output, workers: 2);

            await RunByReferenceAndUploadedAsync(cluster, data, new Uri(binary).AbsoluteUri, text, new Uri(textPath).AbsoluteUri, chunks: 17);

            // Uploaded, the chunks went to these local workers as spool ranges (local reads), by reference as ranges:
            // 23 chunks each way, none of their bytes (5 MiB and the text) sent.
            Assert.InRange(await cluster.PayloadBytesSentAsync(atLeast: 1), 1, 4096);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Submit_BadInputUrls_InvalidArgumentNamingInputUrl()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"cluster-no-such-{Guid.NewGuid():N}.bin");
        await using var cluster = await TestCluster.StartAsync(output, workers: 1);
        JobSpec[] bad =
        [
            WithUrl(Spec("sha256"), "http://127.0.0.1:1/x.bin"),
            WithUrl(Spec("sha256"), new Uri(missing).AbsoluteUri),
            WithUrl(Spec("sha256"), "not a url"),
            WithUrl(Spec("primes", ("from", 0L), ("to", 100L)), new Uri(missing).AbsoluteUri),
        ];

        foreach (var spec in bad)
        {
            var ex = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.SubmitAsync(spec));
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Contains("input_url", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(25, Json(await cluster.RunAsync(Spec("primes", ("from", 0L), ("to", 100L)))).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task ListKinds_LocalCluster_WorkersShareFilesAndInputKindsReadByReference()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1);

        var kinds = await cluster.Client.ListKindsAsync();

        Assert.True(await cluster.Client.WorkersShareLocalFilesAsync());
        Assert.True(kinds.Single(k => k.Name == "sha256").ReadsInputByReference);
        Assert.True(kinds.Single(k => k.Name == "wordcount").ReadsInputByReference);
        Assert.False(kinds.Single(k => k.Name == "primes").ReadsInputByReference);
    }

    private static JobSpec WithUrl(JobSpec spec, string url)
    {
        spec.InputUrl = url;
        return spec;
    }

    // Lines of every length around the chunk boundaries, CRLF and LF, no final newline.
    internal static string MakeText(int seed, int lines)
    {
        string[] words = ["Alpha", "beta", "GAMMA", "straße", "émigré", "данные", "x1", "42", "naïve", "zeta"];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            var n = random.Next(0, 15);
            for (var j = 0; j < n; j++)
            {
                text.Append(words[random.Next(words.Length)]).Append(random.Next(3) == 0 ? ", " : " ");
            }

            text.Append(i == lines - 1 ? "tail" : i % 4 == 0 ? "\r\n" : "\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Hashes <paramref name="data"/> and counts the words of <paramref name="text"/>, each by reference (the URLs) and
    /// uploaded: every block hash is checked against SHA-256 in process, the word total and distinct count against a
    /// sequential count, and each result by reference against the uploaded one.
    /// </summary>
    internal static async Task RunByReferenceAndUploadedAsync(TestCluster cluster, byte[] data, string dataUrl, string text, string textUrl, long chunks)
    {
        var hashByReference = Spec("sha256", ("block-size", 1L << 20));
        hashByReference.InputUrl = dataUrl;
        var hashed = Json(await cluster.RunAsync(hashByReference));
        var hashUploaded = Json(await cluster.RunAsync(Spec("sha256", ("block-size", 1L << 20)), new MemoryStream(data)));
        var countByReference = Spec("wordcount", ("top", 1_000L));
        countByReference.Chunks = chunks;
        countByReference.InputUrl = textUrl;
        var counted = Json(await cluster.RunAsync(countByReference));
        var countUploaded = Spec("wordcount", ("top", 1_000L));
        countUploaded.Chunks = chunks;
        var countedUploaded = Json(await cluster.RunAsync(countUploaded, new MemoryStream(Encoding.UTF8.GetBytes(text))));

        var blocks = hashed.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
        Assert.Equal((data.Length + (1 << 20) - 1) >> 20, blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i << 20, Math.Min(1 << 20, data.Length - (i << 20))))), blocks[i]);
        }

        Assert.Equal(hashUploaded.GetRawText(), hashed.GetRawText());
        var words = WordRegex().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();
        Assert.Equal(words.Count, counted.GetProperty("total").GetInt64());
        Assert.Equal(words.Distinct(StringComparer.Ordinal).Count(), counted.GetProperty("distinct").GetInt64());
        Assert.Equal(countedUploaded.GetRawText(), counted.GetRawText());
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    internal static partial Regex WordRegex();
}
