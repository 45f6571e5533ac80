using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>Keeps every log entry with its event id and state, so a test can check what was logged.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new Entry(eventId.Id, formatter(state, exception), values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)));
    }

    public sealed record Entry(int EventId, string Message, IReadOnlyDictionary<string, object?> Values);
}
