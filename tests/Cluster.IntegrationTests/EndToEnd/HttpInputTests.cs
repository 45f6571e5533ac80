using System.Security.Cryptography;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.InputByReferenceTests;

namespace Cluster.IntegrationTests.EndToEnd;

/// <summary>
/// Inputs by <c>http://</c> URL, read by the worker processes with range requests from a static file server on
/// loopback: the same results as uploading, transient failures retried, and a file changed mid-job failing the job.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class HttpInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sha256AndWordCount_ByHttpUrlWithTransientFailures_SameResultsAsUploadAndAsSequential()
    {
        var dir = Directory.CreateTempSubdirectory("cluster-http-");
        try
        {
            var data = RandomNumberGenerator.GetBytes((5 << 20) + 4321);
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "input.bin"), data);
            var text = MakeText(seed: 5, lines: 30_000);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "input.txt"), text);
            await using var server = await RangeFileServer.StartAsync(dir.FullName);
            foreach (var number in new[] { 3, 4, 9 })
            {
                server.On(number, context => Answer(context, StatusCodes.Status503ServiceUnavailable));
            }

            await using var cluster = await TestCluster.StartAsync(output, workers: 2);
            await RunByReferenceAndUploadedAsync(cluster, data, server.Url("input.bin"), text, server.Url("input.txt"), chunks: 13);

            // The probe, 6 blocks, 3 failures retried, and at least 2 reads per wordcount chunk (its lines, the line crossing its end).
            Assert.True(server.RangeRequests >= 1 + 6 + 3 + 1 + 13, $"{server.RangeRequests} range requests");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Probe_CoordinatorHttpInputRetriesZero_TransientFailureRefusesTheJobAndTheNextSubmitRuns()
    {
        var dir = Directory.CreateTempSubdirectory("cluster-http-");
        try
        {
            var data = RandomNumberGenerator.GetBytes(3 << 16);
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "input.bin"), data);
            await using var server = await RangeFileServer.StartAsync(dir.FullName);
            server.On(1, context => Answer(context, StatusCodes.Status503ServiceUnavailable));
            await using var cluster = await TestCluster.StartAsync(output, workers: 1, coordinatorArgs: ["--Coordinator:HttpInput:Retries=0"]);
            var spec = Spec("sha256", ("block-size", 1L << 16));
            spec.InputUrl = server.Url("input.bin");

            // With no retries (the coordinator's default is 2), the probe's one 503 is the answer.
            var refused = await Assert.ThrowsAsync<Cluster.Client.ClusterException>(() => cluster.Client.SubmitAsync(spec.Clone()));
            Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Contains("input_url names", refused.Message, StringComparison.Ordinal);
            Assert.Contains("503", refused.Message, StringComparison.Ordinal);

            var hashed = Json(await cluster.RunAsync(spec.Clone()));
            var blocks = hashed.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
            Assert.Equal(Enumerable.Range(0, 3).Select(i => Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i << 16, 1 << 16)))), blocks);
            output.WriteLine(refused.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Sha256_FileReplacedMidJob_JobFailsSayingTheInputChanged()
    {
        var dir = Directory.CreateTempSubdirectory("cluster-http-");
        try
        {
            var path = Path.Combine(dir.FullName, "input.bin");
            await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(16 << 16));
            await using var server = await RangeFileServer.StartAsync(dir.FullName);

            // After the probe and 3 block reads, the file is replaced by another of the same length (a new ETag).
            server.On(4, _ =>
            {
                var replacement = Path.Combine(dir.FullName, "replacement.bin");
                File.WriteAllBytes(replacement, RandomNumberGenerator.GetBytes(16 << 16));
                File.SetLastWriteTimeUtc(replacement, File.GetLastWriteTimeUtc(path).AddHours(1));
                File.Move(replacement, path, overwrite: true);
                return false;
            });
            await using var cluster = await TestCluster.StartAsync(output, workers: 1, threads: 1);
            var spec = Spec("sha256", ("block-size", 1L << 16));
            spec.InputUrl = server.Url("input.bin");

            var job = await cluster.RunAsync(spec);

            Assert.Equal(JobState.Failed, job.State);
            Assert.Contains("changed after the job was submitted", job.Error, StringComparison.Ordinal);
            output.WriteLine(job.Error);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static bool Answer(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return true;
    }
}
