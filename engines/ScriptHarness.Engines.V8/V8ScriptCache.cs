using Microsoft.ClearScript;
using Microsoft.ClearScript.V8;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// The wrapped scripts compiled on one runtime, keyed by the source's SHA-256 and kept least-recently-used first out.
/// A compiled script is code only (no state: each run evaluates it in a fresh context), so a model that repeats a
/// script skips V8's parse and compile. Used from the runtime's own thread only.
/// </summary>
/// <remarks>
/// A hit also compares the source itself: a wrong hash in a <see cref="ParsedScript"/> must never run another script.
/// Evicted and remaining scripts are disposed with the cache (a compiled script holds native memory of its runtime).
/// </remarks>
internal sealed class V8ScriptCache(V8Runtime runtime, int capacity, Action? onHit = null) : IDisposable
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _byHash = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recent = new();

    public int Count => _byHash.Count;

    /// <summary>
    /// The compiled script; <paramref name="owned"/> is true when the caller must dispose it after the run (the
    /// cache is disabled, or the hash is already taken by another source).
    /// </summary>
    public V8Script Get(ParsedScript script, out bool owned)
    {
        if (_byHash.TryGetValue(script.Sha256, out var node))
        {
            if (string.Equals(node.Value.Source, script.Source, StringComparison.Ordinal))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                onHit?.Invoke();
                owned = false;
                return node.Value.Compiled;
            }

            owned = true;
            return Compile(script.Source);
        }

        var compiled = Compile(script.Source);
        if (capacity <= 0)
        {
            owned = true;
            return compiled;
        }

        if (_byHash.Count >= capacity)
        {
            var oldest = _recent.Last!;
            _recent.RemoveLast();
            _byHash.Remove(oldest.Value.Sha256);
            oldest.Value.Compiled.Dispose();
        }

        _byHash[script.Sha256] = _recent.AddFirst(new Entry(script.Sha256, script.Source, compiled));
        owned = false;
        return compiled;
    }

    public void Dispose()
    {
        foreach (var entry in _recent)
        {
            entry.Compiled.Dispose();
        }

        _recent.Clear();
        _byHash.Clear();
    }

    // Compiling runs none of the script; a syntax error surfaces here and is never cached.
    private V8Script Compile(string source) =>
        runtime.Compile(new DocumentInfo(ScriptStackCleaner.ScriptSourceName), ScriptWrapper.Wrap(source));

    private sealed record Entry(string Sha256, string Source, V8Script Compiled);
}
