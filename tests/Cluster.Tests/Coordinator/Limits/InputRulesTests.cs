using Cluster.Contracts.V1;
using Cluster.Coordinator.Limits;
using Google.Protobuf;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class InputRulesTests
{
    private const string JobId = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("../x", false)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0", false)]
    [InlineData("0123456789abcdef/123456789abcdef", false)]
    [InlineData("", false)]
    public void IsValid_JobIdShapes_OnlyThirtyTwoLowercaseHex(string id, bool valid) =>
        Assert.Equal(valid, JobIds.IsValid(id));

    public static TheoryData<string, string> BadSpecs => new()
    {
        { "kind", "kind: must be at most 100 characters" },
        { "name", "parameters: a parameter name must be 1 to 100 characters" },
        { "empty-name", "parameters: a parameter name must be 1 to 100 characters" },
        { "string", "parameters.s: a string value must be at most 65536 characters" },
        { "count", "parameters: at most 100 may be given" },
        { "negative-length", "input_length: must not be negative" },
        { "length-and-url", "input_length: must not be given together with input_url" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Check_BadSpec_NamesFieldAndRule(string what, string expected)
    {
        var spec = new JobSpec { Kind = "squares" };
        switch (what)
        {
            case "kind": spec.Kind = new string('k', 1 << 20); break;
            case "name": spec.Parameters[new string('p', 1 << 20)] = new ParameterValue { IntValue = 1 }; break;
            case "empty-name": spec.Parameters[string.Empty] = new ParameterValue { IntValue = 1 }; break;
            case "string": spec.Parameters["s"] = new ParameterValue { StringValue = new string('s', 1 << 20) }; break;
            case "negative-length": spec.InputLength = -1; break;
            case "length-and-url": (spec.InputLength, spec.InputUrl) = (10, "file:///tmp/x"); break;
            default:
                for (var i = 0; i < 101; i++)
                {
                    spec.Parameters["p" + i] = new ParameterValue { IntValue = i };
                }

                break;
        }

        var error = InputRules.Check(spec);

        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, "the status stays small: the value is not echoed");
    }

    public static TheoryData<string, string> BadJoins => new()
    {
        { "no-id", "join.worker_id: is required" },
        { "long-id", "join.worker_id: must be at most 128 characters" },
        { "control", "join.worker_id: must not contain control characters" },
        { "threads", "join.threads: must be between 1 and 1024" },
        { "host", "join.host: must be at most 255 characters" },
        { "pid", "join.pid: must not be negative" },
        { "kinds", "join.kinds: each must be 1 to 100 characters" },
    };

    [Theory]
    [MemberData(nameof(BadJoins))]
    public void Check_BadJoin_NamesFieldAndRule(string what, string expected)
    {
        var join = new JoinRequest { WorkerId = "w", Host = "h", Pid = 1, Threads = 2, Kinds = { "squares" } };
        switch (what)
        {
            case "no-id": join.WorkerId = string.Empty; break;
            case "long-id": join.WorkerId = new string('w', 129); break;
            case "control": join.WorkerId = "w\n"; break;
            case "threads": join.Threads = -1; break;
            case "host": join.Host = new string('h', 1 << 20); break;
            case "pid": join.Pid = int.MinValue; break;
            default: join.Kinds.Add(new string('k', 1 << 20)); break;
        }

        Assert.StartsWith(expected, InputRules.Check(join), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ValidJoinAndResult_Null()
    {
        Assert.Null(InputRules.Check(new JoinRequest { WorkerId = "w", Host = "h", Pid = 1, Threads = 2 }));
        Assert.Null(InputRules.Check(Result()));
    }

    public static TheoryData<string, string> BadResults => new()
    {
        { "path", "job_id: must be 32 lowercase hexadecimal characters" },
        { "chunk", "chunk_index: must not be negative" },
        { "attempt", "attempt: must be at least 1" },
        { "outcome", "outcome: one of output, failure or released is required" },
        { "released", "released: must be true when set" },
    };

    [Theory]
    [MemberData(nameof(BadResults))]
    public void Check_BadResult_NamesFieldAndRule(string what, string expected)
    {
        var result = Result();
        switch (what)
        {
            case "path": result.JobId = "../x"; break;
            case "chunk": result.ChunkIndex = long.MinValue; break;
            case "attempt": result.Attempt = 0; break;
            case "outcome": result.ClearOutcome(); break;
            default: result.Released = false; break;
        }

        var batch = new ChunkResultBatch { Results = { Result(), result } };

        Assert.StartsWith("results[1]." + expected, InputRules.Check(batch), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TooManyResults_NamesLimit()
    {
        var batch = new ChunkResultBatch();
        batch.Results.AddRange(Enumerable.Range(0, 4097).Select(_ => Result()));

        Assert.StartsWith("results: at most 4096 per message", InputRules.Check(batch), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1, 0, "worker_id: is required")]
    [InlineData("w", -1, 0, "pid: must not be negative")]
    [InlineData("w", 1, 1 << 20, "description: must be at most 4096 characters")]
    public void Check_BadExitReport_NamesFieldAndRule(string workerId, int pid, int descriptionLength, string expected)
    {
        var report = new WorkerExitReport { WorkerId = workerId, Pid = pid, Description = new string('d', descriptionLength) };

        Assert.StartsWith(expected, InputRules.Check(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Cut_LongText_CutAndMarked()
    {
        var cut = InputRules.Cut(new string('x', 1 << 20));

        Assert.Equal(4096 + "… (cut)".Length, cut.Length);
        Assert.Equal("short", InputRules.Cut("short"));
    }

    private static ChunkResult Result() => new() { JobId = JobId, ChunkIndex = 0, Attempt = 1, Output = ByteString.CopyFromUtf8("x") };
}
