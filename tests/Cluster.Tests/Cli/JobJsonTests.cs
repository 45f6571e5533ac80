using System.Text.Json;
using Cluster.Cli.Rendering;
using Cluster.Contracts.V1;

namespace Cluster.Tests.Cli;

public sealed class JobJsonTests
{
    [Fact]
    public void Format_SucceededJob_HasExactShapeWithResultObject()
    {
        var job = new JobInfo
        {
            JobId = "0123456789abcdef0123456789abcdef",
            Kind = "primes",
            Owner = "alice",
            State = JobState.Succeeded,
            ChunksTotal = 64,
            ChunksDone = 64,
            RetriedAttempts = 2,
            SubmittedUnixMs = 1_000,
            FinishedUnixMs = 3_500,
            ResultJson = "{\"count\":50847534}",
        };

        using var json = JsonDocument.Parse(JobJson.Format(job, nowUnixMs: 99_999));
        var root = json.RootElement;

        Assert.Equal(
            ["jobId", "kind", "owner", "state", "result", "chunks", "retriedAttempts", "elapsedMs", "failedAttempts", "lostAttempts", "backupAttempts", "staleResults", "submittedUnixMs", "startedUnixMs", "finishedUnixMs"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(job.JobId, root.GetProperty("jobId").GetString());
        Assert.Equal("primes", root.GetProperty("kind").GetString());
        Assert.Equal("alice", root.GetProperty("owner").GetString());
        Assert.Equal("succeeded", root.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("result").ValueKind);
        Assert.Equal(50847534, root.GetProperty("result").GetProperty("count").GetInt64());
        Assert.Equal(64, root.GetProperty("chunks").GetInt64());
        Assert.Equal(2, root.GetProperty("retriedAttempts").GetInt64());
        Assert.Equal(2_500, root.GetProperty("elapsedMs").GetInt64());
    }

    [Fact]
    public void Format_FailedJob_HasErrorAndNullResult()
    {
        var job = new JobInfo { JobId = "j", Kind = "k", State = JobState.Failed, Error = "chunk 3 exhausted its attempts", SubmittedUnixMs = 10, FinishedUnixMs = 25 };

        using var json = JsonDocument.Parse(JobJson.Format(job, nowUnixMs: 1_000));

        Assert.Equal("failed", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("result").ValueKind);
        Assert.Equal("chunk 3 exhausted its attempts", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(15, json.RootElement.GetProperty("elapsedMs").GetInt64());
    }

    [Fact]
    public void ElapsedMs_RunningJob_MeasuresToNow() =>
        Assert.Equal(400, JobJson.ElapsedMs(new JobInfo { SubmittedUnixMs = 600 }, nowUnixMs: 1_000));

    [Fact]
    public void Format_IsOneLine() =>
        Assert.DoesNotContain('\n', JobJson.Format(new JobInfo { JobId = "j", ResultJson = "{\n\"a\": 1\n}" }, 0));
}
