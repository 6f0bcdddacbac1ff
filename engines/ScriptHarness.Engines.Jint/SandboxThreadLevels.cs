namespace ScriptHarness.Engines.Jint;

/// <summary>
/// A <see cref="SandboxThreadPool"/> per nesting depth (<see cref="NestingDepthPools{TPool}"/>); the threads of a nested
/// depth's pool end after an idle period.
/// </summary>
internal sealed class SandboxThreadLevels
{
    /// <summary>How long a thread of a nested depth's pool waits for work before it ends.</summary>
    public static readonly TimeSpan NestedIdleTimeout = TimeSpan.FromSeconds(30);

    private readonly NestingDepthPools<SandboxThreadPool> _levels;

    public SandboxThreadLevels(int maxThreads, int stackSize) => _levels = new(
        new SandboxThreadPool(maxThreads, stackSize),
        () => new SandboxThreadPool(maxThreads, stackSize, NestedIdleTimeout));

    /// <summary>The pool of scripts at <paramref name="depth"/> (clamped to the deepest nesting any harness allows).</summary>
    public SandboxThreadPool For(int depth) => _levels.For(depth);

    /// <summary>Threads alive across every depth.</summary>
    public int ThreadCount => _levels.Made.Sum(pool => pool.ThreadCount);
}
