namespace ScriptHarness.Engines.V8;

/// <summary>
/// A <see cref="V8SlotPool"/> per nesting depth (<see cref="NestingDepthPools{TPool}"/>), sharing one code cache. Pools
/// of nested depths keep no runtime once idle for the trim period.
/// </summary>
internal sealed class V8SlotLevels
{
    private readonly NestingDepthPools<V8SlotPool> _levels;

    public V8SlotLevels(V8EngineOptions options)
    {
        var top = new V8SlotPool(options);
        _levels = new(top, () => new V8SlotPool(options, top.Code, keepLast: false));
    }

    /// <summary>The pool of scripts the host runs (depth 0).</summary>
    public V8SlotPool Top => _levels.Top;

    /// <summary>The pool of scripts at <paramref name="depth"/> (clamped to the deepest nesting any harness allows).</summary>
    public V8SlotPool For(int depth) => _levels.For(depth);

    /// <summary>Slots alive across every depth.</summary>
    public int SlotCount => _levels.Made.Sum(pool => pool.SlotCount);
}
