using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// An engine's compiled scripts, made once per distinct source and bounded (the least recently used go first).
/// Keyed by the source itself, never by a hash a caller supplied: a wrong hash must never run another script.
/// </summary>
/// <typeparam name="T">What the engine keeps of a compiled script; it must be safe to share between runs.</typeparam>
/// <param name="capacity">How many scripts to keep.</param>
/// <param name="compile">Compiles the wrapped source (<see cref="ScriptSource.Wrap"/>); a failure is not cached.</param>
public sealed class CompiledScripts<T>(int capacity, Func<string, T> compile)
{
    private readonly BoundedCache<string, T> _scripts = new(capacity, StringComparer.Ordinal);

    /// <summary>Compiled scripts held now.</summary>
    public int Count => _scripts.Count;

    /// <summary>The compiled form of <paramref name="script"/>, compiled on first use.</summary>
    public T Get(ParsedScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return _scripts.GetOrAdd(script.Source, source => compile(ScriptSource.Wrap(source)));
    }
}
