namespace ScriptHarness.Engines.V8;

/// <summary>
/// The part of the script cache shared by all runtimes of one engine factory: V8's code-cache bytes of each compiled
/// script, keyed by its SHA-256, so a runtime that meets a script another one compiled deserializes it instead of
/// compiling it (~35 against ~100 µs for a 1.2 KB script on the 2-core box). Also counts the hits, for tests.
/// </summary>
/// <remarks>
/// Compiled scripts themselves belong to one runtime; bytes carry no runtime, and are checked against the source.
/// Bounded in two generations (the older dropped whole when the newer fills; what is used moves to the newer). Only
/// compile paths come here, so one lock is enough.
/// </remarks>
internal sealed class V8CodeCache(int capacity)
{
    private readonly Lock _gate = new();
    private Dictionary<string, Entry> _young = new(StringComparer.Ordinal);
    private Dictionary<string, Entry> _old = new(StringComparer.Ordinal);
    private long _scriptHits;
    private long _codeHits;

    /// <summary>Scripts found compiled on their own runtime.</summary>
    public long ScriptHits => Interlocked.Read(ref _scriptHits);

    /// <summary>Scripts compiled from another runtime's code-cache bytes.</summary>
    public long CodeHits => Interlocked.Read(ref _codeHits);

    public void CountScriptHit() => Interlocked.Increment(ref _scriptHits);

    public void CountCodeHit() => Interlocked.Increment(ref _codeHits);

    /// <summary>The bytes for this exact source, if a runtime published them.</summary>
    public byte[]? Find(string sha256, string source)
    {
        lock (_gate)
        {
            if (!_young.TryGetValue(sha256, out var entry))
            {
                if (!_old.Remove(sha256, out entry))
                {
                    return null;
                }

                Add(sha256, entry);
            }

            return string.Equals(entry.Source, source, StringComparison.Ordinal) ? entry.Bytes : null;
        }
    }

    public void Publish(string sha256, string source, byte[] bytes)
    {
        lock (_gate)
        {
            _old.Remove(sha256);
            Add(sha256, new Entry(source, bytes));
        }
    }

    private void Add(string sha256, Entry entry)
    {
        if (_young.Count >= capacity)
        {
            _old = _young;
            _young = new Dictionary<string, Entry>(StringComparer.Ordinal);
        }

        _young[sha256] = entry;
    }

    private sealed record Entry(string Source, byte[] Bytes);
}
