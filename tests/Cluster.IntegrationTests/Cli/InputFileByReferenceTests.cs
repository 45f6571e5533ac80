using System.Security.Cryptography;
using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Cli;

/// <summary>
/// <c>cluster submit --input FILE</c> on this machine's clusters (the embedded one, <c>cluster local</c>): the workers
/// read the file where it is, and <c>--upload</c> streams it as to a remote coordinator; both give the sequential digest.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class InputFileByReferenceTests(ITestOutputHelper output)
{
    private const string ByReferenceNote = "where it is (they share this machine's files)";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Submit_InputOnEmbeddedAndLocalCluster_ReadByReferenceUnlessUpload()
    {
        var dir = Directory.CreateTempSubdirectory("cluster-input-file-");
        using var local = CliProcess.Start("local", "--workers", "1", "--port", "0", "--token-out", Path.Combine(dir.FullName, "local.token"));
        try
        {
            var path = Path.Combine(dir.FullName, "input.bin");
            var data = RandomNumberGenerator.GetBytes((3 << 20) + 777);
            await File.WriteAllBytesAsync(path, data);
            var expected = Enumerable.Range(0, 4)
                .Select(i => Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i << 20, Math.Min(1 << 20, data.Length - (i << 20))))))
                .ToList();

            var embedded = await CliProcess.RunAsync(Timeout, "submit", "sha256", "--input", path, "--block-size", "1048576", "--workers", "1");
            var first = await local.FirstStdoutLineAsync(Timeout);
            Assert.StartsWith(Announcements.Listening, first, StringComparison.Ordinal);
            var address = first[Announcements.Listening.Length..];
            var token = Path.Combine(dir.FullName, "local.token");
            await TestCluster.PollAsync(() => Task.FromResult(File.Exists(token) && File.ReadAllText(token).EndsWith('\n')), written => written, Timeout, "cluster local to write its client token");
            string[] remote = ["--coordinator", address, "--token-file", token];
            var byReference = await CliProcess.RunAsync(Timeout, ["submit", "sha256", "--input", path, "--block-size", "1048576", .. remote]);
            var uploaded = await CliProcess.RunAsync(Timeout, ["submit", "sha256", "--input", path, "--block-size", "1048576", "--upload", .. remote]);
            output.WriteLine(embedded.Stderr + byReference.Stderr + uploaded.Stderr);

            Assert.Equal((0, 0, 0), (embedded.ExitCode, byReference.ExitCode, uploaded.ExitCode));
            Assert.Contains(ByReferenceNote, embedded.Stderr, StringComparison.Ordinal);
            Assert.Contains(ByReferenceNote, byReference.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(ByReferenceNote, uploaded.Stderr, StringComparison.Ordinal);
            foreach (var run in new[] { embedded, byReference, uploaded })
            {
                var result = JsonDocument.Parse(run.Stdout.Trim()).RootElement;
                Assert.Equal(expected, result.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()!).ToList());
            }
        }
        finally
        {
            Signals.Send(local.Pid, Signals.SigTerm);
            await local.WaitForExitAsync(Timeout);
            dir.Delete(recursive: true);
        }
    }
}
