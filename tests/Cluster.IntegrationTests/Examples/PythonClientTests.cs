using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Examples;

/// <summary>
/// examples/python-client, with stubs generated from proto/ alone by its generate.sh, against a real coordinator and
/// workers with tokens: it submits, streams progress, and prints the result the .NET client also sees.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PythonClientTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private static readonly string Example = Path.Combine(Executables.Root, "examples", "python-client");

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-python-");

    [PythonClientFact]
    public async Task PythonClient_PrimesWithToken_StreamsProgressAndPrintsResult()
    {
        await using var cluster = await TestCluster.StartAsync(output);

        var run = await RunClientAsync(cluster.Cluster.ClientToken!, cluster, ["primes", "from=0", "to=100000", "--chunks", "4"]);

        Assert.True(run.Code == 0, run.ToString());
        // pi(10^5) = 9592, a figure from the tables, not from this code.
        Assert.Equal(9592, JsonNode.Parse(run.Stdout)!["count"]!.GetValue<long>());
        Assert.Contains("progress: 4/4 chunks, SUCCEEDED", run.Stderr, StringComparison.Ordinal);
        var job = await cluster.Client.GetJobAsync(SubmittedId(run.Stderr));
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(run.Stdout.Trim(), job.ResultJson);
    }

    [PythonClientFact]
    public async Task PythonClient_WordCountInput_StreamsInputInPiecesAndWritesResultData()
    {
        // Three words in known numbers, over 1 MiB pieces more than once: "alpha" 300,000 times, "beta" 150,000, "gamma" 75,000 (3 MB).
        var text = new StringBuilder();
        for (var i = 0; i < 300_000; i++)
        {
            text.Append("alpha ");
            if (i % 2 == 0)
            {
                text.Append("beta ");
            }

            if (i % 4 == 0)
            {
                text.Append("gamma\n");
            }
        }

        var input = Path.Combine(_work.FullName, "words.txt");
        await File.WriteAllTextAsync(input, text.ToString());
        Assert.True(new FileInfo(input).Length > 2 << 20);
        var result = Path.Combine(_work.FullName, "result.json");
        await using var cluster = await TestCluster.StartAsync(output);

        var run = await RunClientAsync(cluster.Cluster.ClientToken!, cluster, ["wordcount", "top=3", "--input", input, "--output", result]);

        Assert.True(run.Code == 0, run.ToString());
        var summary = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(525_000, summary["total"]!.GetValue<long>());
        var top = summary["top"]!.AsArray().Select(w => (w!["word"]!.GetValue<string>(), w["count"]!.GetValue<long>())).ToList();
        Assert.Equal([("alpha", 300_000L), ("beta", 150_000L), ("gamma", 75_000L)], top);
        var data = await cluster.Client.GetResultAsync(SubmittedId(run.Stderr));
        Assert.Equal(data.Data.ToArray(), await File.ReadAllBytesAsync(result));
        Assert.Equal(new FileInfo(input).Length, data.Job.InputBytes);
    }

    [PythonClientFact]
    public async Task PythonClient_WrongToken_UnauthenticatedAndExitCode2()
    {
        await using var cluster = await TestCluster.StartAsync(output);

        var run = await RunClientAsync("not-the-token-0123456789", cluster, ["pi", "samples=1000"]);

        Assert.Equal(2, run.Code);
        Assert.StartsWith("error: UNAUTHENTICATED", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(await cluster.Client.ListJobsAsync());
    }

    public void Dispose() => _work.Delete(recursive: true);

    private static string SubmittedId(string stderr) =>
        stderr.Split('\n').Single(l => l.StartsWith("submitted ", StringComparison.Ordinal))["submitted ".Length..].Trim();

    /// <summary>Generates the stubs (once per test, into its own folder) and runs the example to its end.</summary>
    private async Task<ClientRun> RunClientAsync(string token, TestCluster cluster, IReadOnlyList<string> args)
    {
        var stubs = Path.Combine(_work.FullName, "generated");
        if (!Directory.Exists(stubs))
        {
            var (code, text) = ToolProcess.Run(ToolProcess.Find("sh")!, [Path.Combine(Example, "generate.sh"), stubs], RunTimeout);
            Assert.True(code == 0, "generate.sh failed: " + text);
        }

        var start = new ProcessStartInfo(PythonClientFactAttribute.Python!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[Path.Combine(Example, "cluster_client.py"), "--coordinator", cluster.Cluster.Address.ToString(), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CLUSTER_STUBS"] = stubs;
        start.Environment["CLUSTER_TOKEN"] = token;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(RunTimeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var run = new ClientRun(process.ExitCode, await stdout, await stderr);
        output.WriteLine(run.ToString());
        return run;
    }

    private sealed record ClientRun(int Code, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {Code}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }
}
