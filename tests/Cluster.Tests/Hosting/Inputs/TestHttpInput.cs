using Cluster.Hosting.Inputs;

namespace Cluster.Tests.Hosting.Inputs;

/// <summary>An HTTP input source with the defaults, for the hosts and caches of tests whose jobs read no input over HTTP.</summary>
internal static class TestHttpInput
{
    public static HttpInputSource Default { get; } = new(new HttpInputSettings());
}
