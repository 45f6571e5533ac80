namespace Cluster.Tests.Bundles;

/// <summary>A fact that builds a native library with the C compiler; skipped, with one line saying so, where there is none.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CcFactAttribute : FactAttribute
{
    public CcFactAttribute()
    {
        if (NativeLibraryBuild.Cc is null)
        {
            Skip = "cc is not on PATH: the native-library bundle test builds its library with it (.ci/run installs it with apt-get install -y gcc).";
        }
    }
}
