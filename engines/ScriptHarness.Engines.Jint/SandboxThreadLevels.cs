using ScriptHarness.Context;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A <see cref="SandboxThreadPool"/> per nesting depth (<see cref="ScriptContext.NestingDepth"/>). A script keeps its
/// thread while it waits for a tool, so a nested script — run by a tool from inside its ancestor's call — queued on the
/// ancestors' pool could wait for ever for a thread they hold. Each depth has its own pool of the same bound: a script
/// waits only for scripts as deep as itself, which wait only for deeper ones, and the deepest wait for none. Pools of
/// nested depths are made on first use, and their threads end after an idle period.
/// </summary>
internal sealed class SandboxThreadLevels
{
    /// <summary>How long a thread of a nested depth's pool waits for work before it ends.</summary>
    public static readonly TimeSpan NestedIdleTimeout = TimeSpan.FromSeconds(30);

    private readonly SandboxThreadPool?[] _levels = new SandboxThreadPool?[ScriptContext.MaxNestingDepth + 1];
    private readonly int _maxThreads;
    private readonly int _stackSize;

    public SandboxThreadLevels(int maxThreads, int stackSize)
    {
        _maxThreads = maxThreads;
        _stackSize = stackSize;
        _levels[0] = new SandboxThreadPool(maxThreads, stackSize);
    }

    /// <summary>The pool of scripts at <paramref name="depth"/> (clamped to the deepest nesting any harness allows).</summary>
    public SandboxThreadPool For(int depth)
    {
        var level = Math.Clamp(depth, 0, ScriptContext.MaxNestingDepth);
        var pool = Volatile.Read(ref _levels[level]);
        if (pool is null)
        {
            var made = new SandboxThreadPool(_maxThreads, _stackSize, NestedIdleTimeout);
            pool = Interlocked.CompareExchange(ref _levels[level], made, null) ?? made;
        }

        return pool;
    }

    /// <summary>Threads alive across every depth.</summary>
    public int ThreadCount => _levels.Sum(pool => pool?.ThreadCount ?? 0);
}
