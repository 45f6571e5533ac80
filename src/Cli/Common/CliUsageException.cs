namespace Cluster.Cli.Common;

/// <summary>The command line asks for something impossible; the message says what and how to fix it (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
