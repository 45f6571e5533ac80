using Cluster.Jobs.InProcess;
using MyJobs;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.Typed;

/// <summary>The README's "Write your own job" kind: shown verbatim, under 30 lines of class, and right.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Readme_WriteYourOwnJob_ShowsThisKindVerbatim()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(root, "tests", "Cluster.Tests", "Jobs", "Typed", "ReadmeExample", "CollatzKind.cs")).ReplaceLineEndings("\n");

        var section = readme[readme.IndexOf("## Write your own job", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var shown = section[start..section.IndexOf("```\n", start, StringComparison.Ordinal)];

        Assert.Equal(source, shown);
        var classLines = source[source.IndexOf("public sealed class", StringComparison.Ordinal)..].TrimEnd().Split('\n');
        Assert.InRange(classLines.Length, 1, 29);
    }

    [Fact]
    public void Run_BelowOneMillion_Is837799With524Steps()
    {
        // Project Euler 14: below one million, 837,799 has the longest chain, 524 steps (525 terms).
        foreach (var options in Chunkings(chunkSize: 77_777))
        {
            var summary = Summary(Run(new CollatzKind(), Params(("below", 1_000_000L)), options));

            Assert.Equal((837_799, 524), (summary.GetProperty("start").GetInt64(), summary.GetProperty("steps").GetInt32()));
        }
    }

    [Fact]
    public void Run_SmallRange_MatchesChainLengthsByHand()
    {
        // Below 10: 9 takes 19 steps (9 28 14 7 22 11 34 17 52 26 13 40 20 10 5 16 8 4 2 1).
        var summary = Summary(Run(new CollatzKind(), Params(("below", 10L)), new InProcessRunOptions { Threads = 2, Chunks = 9 }));

        Assert.Equal((9, 19), (summary.GetProperty("start").GetInt64(), summary.GetProperty("steps").GetInt32()));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }
}
