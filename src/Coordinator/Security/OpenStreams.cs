namespace Cluster.Coordinator.Security;

/// <summary>The streaming calls open now, by the name of the token that opened them, so a revoked token's streams can be closed.</summary>
internal sealed class OpenStreams
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<CancellationTokenSource>> _byName = new(StringComparer.Ordinal);

    /// <summary>Registers a stream; <paramref name="revoke"/> is cancelled if its token is revoked. Dispose the result when the stream ends.</summary>
    public IDisposable Register(string name, CancellationTokenSource revoke)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var set))
            {
                _byName[name] = set = [];
            }

            set.Add(revoke);
        }

        return new Registration(this, name, revoke);
    }

    /// <summary>Number of streams open with <paramref name="name"/>'s token.</summary>
    public int Count(string name)
    {
        lock (_lock)
        {
            return _byName.TryGetValue(name, out var set) ? set.Count : 0;
        }
    }

    /// <summary>Closes every stream opened with <paramref name="name"/>'s token.</summary>
    public void CloseAll(string name)
    {
        List<CancellationTokenSource> sources;
        lock (_lock)
        {
            if (!_byName.Remove(name, out var set))
            {
                return;
            }

            sources = [.. set];
        }

        foreach (var source in sources)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended meanwhile.
            }
        }
    }

    private void Remove(string name, CancellationTokenSource revoke)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var set) && set.Remove(revoke) && set.Count == 0)
            {
                _byName.Remove(name);
            }
        }
    }

    private sealed class Registration(OpenStreams owner, string name, CancellationTokenSource revoke) : IDisposable
    {
        public void Dispose() => owner.Remove(name, revoke);
    }
}
