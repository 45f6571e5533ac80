using System.Collections;
using System.Diagnostics;

namespace Cluster.Tests.Coordinator.Observability;

/// <summary>
/// What an in-memory exporter writes spans into, safe to read while it writes: a tracer listens process-wide, so spans
/// of other tests' jobs can be exported from their threads while a test reads its own.
/// </summary>
internal sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>The spans exported so far whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public List<Activity> Where(string tag, object value)
    {
        lock (_spans)
        {
            return [.. _spans.Where(s => Equals(s.GetTagItem(tag), value))];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
