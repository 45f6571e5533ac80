using Cluster.Coordinator.Journal;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class JournalSpecTests
{
    [Fact]
    public void FromJson_SpecWithInputUrl_SameFieldsBack()
    {
        var spec = new JournalSpec("sha256", string.Empty, "n", "alice", 0, 4096, 8, 100_000, 3, new Dictionary<string, object>(StringComparer.Ordinal) { ["block-size"] = 4096L, ["x"] = 0.25, ["flag"] = true, ["s"] = "a\"b" }, "file:///data/in put.bin");

        var back = JournalSpec.FromJson(spec.ToJson());

        Assert.Equal("file:///data/in put.bin", back.InputUrl);
        Assert.Equal((spec.Kind, spec.Owner, spec.ChunkSize, spec.DefaultChunks, spec.MaxAttempts), (back.Kind, back.Owner, back.ChunkSize, back.DefaultChunks, back.MaxAttempts));
        Assert.Equal(spec.Parameters.OrderBy(p => p.Key), back.Parameters.OrderBy(p => p.Key));
    }

    [Fact]
    public void FromJson_SpecWrittenBeforeInputUrlWasKept_NoInputUrl()
    {
        // As the journal of the previous release wrote it: no inputUrl property.
        const string Old = """{"kind":"squares","bundle":"","name":"","owner":"","chunks":4,"chunkSize":0,"defaultChunks":8,"maxChunks":100,"maxAttempts":3,"parameters":{"n":{"long":4}}}""";

        var back = JournalSpec.FromJson(Old);

        Assert.Equal(string.Empty, back.InputUrl);
        Assert.Equal(4L, back.Parameters["n"]);
    }
}
