namespace Cluster.Processes;

/// <summary>Command-line flags a parent passes to the coordinator and worker processes it starts.</summary>
public static class ProcessFlags
{
    /// <summary>
    /// Exit when standard input reaches end-of-file. A parent that starts the child with a redirected standard input
    /// holds the pipe's write end; when the parent dies, however it dies, the child reads EOF and exits.
    /// </summary>
    public const string ExitWithParent = "--exit-with-parent";
}
