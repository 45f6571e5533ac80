namespace Cluster.Processes;

/// <summary>
/// Lines a coordinator or worker prints on standard output for whoever started it (the CLI, tests, benchmarks).
/// They are a contract: parents parse them.
/// </summary>
public static class Announcements
{
    /// <summary>Printed by the coordinator once it listens, followed by its URL: <c>listening: http://127.0.0.1:41234</c>.</summary>
    public const string Listening = "listening: ";

    /// <summary>Printed by the coordinator once it listens on its HTTP port (<c>/metrics</c>), followed by its URL: <c>http: http://127.0.0.1:7401</c>.</summary>
    public const string Http = "http: ";

    /// <summary>Printed by a worker each time the coordinator accepts its join, followed by its id.</summary>
    public const string Joined = "joined: ";
}
