using ScriptHarness.Context;

namespace ScriptHarness.Engines;

/// <summary>
/// One engine pool per nesting depth (<see cref="ScriptContext.NestingDepth"/>). A script keeps its thread (or
/// runtime) while it waits for a tool, so a nested script — run by a tool from inside its ancestor's call — queued on
/// the ancestors' pool could wait for ever for a thread they hold. Each depth has its own pool of the same bound: a
/// script waits only for scripts as deep as itself, which wait only for deeper ones, and the deepest wait for none.
/// Pools of nested depths are made on first use.
/// </summary>
/// <typeparam name="TPool">An engine's pool of threads or runtimes.</typeparam>
public sealed class NestingDepthPools<TPool>
    where TPool : class
{
    private readonly TPool?[] _levels = new TPool?[ScriptContext.MaxNestingDepth + 1];
    private readonly Func<TPool> _nested;

    /// <summary>Starts with the pool of the scripts the host runs; nested depths get theirs from <paramref name="nested"/>.</summary>
    /// <param name="top">The pool of depth 0.</param>
    /// <param name="nested">Makes the pool of a nested depth, on its first script (it may be made and dropped under a race).</param>
    public NestingDepthPools(TPool top, Func<TPool> nested)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(nested);
        _levels[0] = top;
        _nested = nested;
    }

    /// <summary>The pool of the scripts the host runs (depth 0).</summary>
    public TPool Top => _levels[0]!;

    /// <summary>The pools made so far, shallowest first.</summary>
    public IEnumerable<TPool> Made
    {
        get
        {
            for (var level = 0; level < _levels.Length; level++)
            {
                if (Volatile.Read(ref _levels[level]) is { } pool)
                {
                    yield return pool;
                }
            }
        }
    }

    /// <summary>The pool of scripts at <paramref name="depth"/> (clamped to the deepest nesting any harness allows).</summary>
    public TPool For(int depth)
    {
        var level = Math.Clamp(depth, 0, ScriptContext.MaxNestingDepth);
        var pool = Volatile.Read(ref _levels[level]);
        if (pool is null)
        {
            var made = _nested();
            pool = Interlocked.CompareExchange(ref _levels[level], made, null) ?? made;
        }

        return pool;
    }
}
