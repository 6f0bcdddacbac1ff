using System.Collections.Concurrent;

namespace ScriptHarness.Runtime;

/// <summary>
/// A small thread-safe cache with bounded size: two generations, the older dropped whole when the newer fills.
/// Entries in use move to the newer generation, so what repeats stays; no per-entry bookkeeping on the hot path.
/// Models repeat their scripts, so keyed by source or its hash this spares re-parsing.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private ConcurrentDictionary<TKey, TValue> _young = new(comparer);
    private ConcurrentDictionary<TKey, TValue> _old = new(comparer);

    public int Count => _young.Count + _old.Count;

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (_young.TryGetValue(key, out var value))
        {
            return value;
        }

        if (!_old.TryGetValue(key, out value))
        {
            value = create(key);
        }

        if (_young.Count >= capacity)
        {
            lock (_gate)
            {
                if (_young.Count >= capacity)
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<TKey, TValue>(comparer);
                }
            }
        }

        _young.TryAdd(key, value);
        return value;
    }
}
