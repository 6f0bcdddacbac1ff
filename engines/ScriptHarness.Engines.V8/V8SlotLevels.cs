using ScriptHarness.Context;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// A <see cref="V8SlotPool"/> per nesting depth (<see cref="ScriptContext.NestingDepth"/>). A script keeps its runtime
/// while it waits for a tool, so a nested script — run by a tool from inside its ancestor's call — queued on the
/// ancestors' pool could wait for ever for a runtime they hold. Each depth has its own pool of the same bound, sharing
/// one code cache: a script waits only for scripts as deep as itself, which wait only for deeper ones, and the deepest
/// wait for none. Pools of nested depths are made on first use and keep no runtime once idle for the trim period.
/// </summary>
internal sealed class V8SlotLevels
{
    private readonly V8SlotPool?[] _levels = new V8SlotPool?[ScriptContext.MaxNestingDepth + 1];
    private readonly V8EngineOptions _options;

    public V8SlotLevels(V8EngineOptions options)
    {
        _options = options;
        _levels[0] = new V8SlotPool(options);
    }

    /// <summary>The pool of scripts the host runs (depth 0).</summary>
    public V8SlotPool Top => _levels[0]!;

    /// <summary>The pool of scripts at <paramref name="depth"/> (clamped to the deepest nesting any harness allows).</summary>
    public V8SlotPool For(int depth)
    {
        var level = Math.Clamp(depth, 0, ScriptContext.MaxNestingDepth);
        var pool = Volatile.Read(ref _levels[level]);
        if (pool is null)
        {
            var made = new V8SlotPool(_options, Top.Code, keepLast: false);
            pool = Interlocked.CompareExchange(ref _levels[level], made, null) ?? made;
        }

        return pool;
    }

    /// <summary>Slots alive across every depth.</summary>
    public int SlotCount => _levels.Sum(pool => pool?.SlotCount ?? 0);
}
