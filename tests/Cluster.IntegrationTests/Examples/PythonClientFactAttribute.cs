using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.Examples;

/// <summary>
/// A fact that needs a Python 3 with the distribution's grpcio and protobuf, and <c>protoc</c> with the gRPC Python
/// plugin; skipped, with one line saying so, where any is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PythonClientFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Interpreter = new(FindInterpreter);

    public PythonClientFactAttribute()
    {
        if (Python is null || ToolProcess.Find("protoc") is null || ToolProcess.Find("grpc_python_plugin") is null)
        {
            Skip = "No python3 with grpcio and protobuf, or no protoc with grpc_python_plugin: the Python client test needs them "
                + "(.ci/run installs them with apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc).";
        }
    }

    /// <summary>A python3 that imports grpc and google.protobuf: the distribution's first, then the one on PATH.</summary>
    public static string? Python => Interpreter.Value;

    private static string? FindInterpreter() =>
        new[] { "/usr/bin/python3", ToolProcess.Find("python3") }
            .Where(path => path is not null && File.Exists(path))
            .FirstOrDefault(path => ToolProcess.Run(path!, ["-c", "import grpc, google.protobuf"], TimeSpan.FromSeconds(30)).Code == 0);
}
