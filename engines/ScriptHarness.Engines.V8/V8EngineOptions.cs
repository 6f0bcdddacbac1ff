using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>Settings of the V8 engine itself (the per-script limits come from <c>ScriptLimits</c>).</summary>
public sealed record V8EngineOptions : IEngineOptions
{
    /// <inheritdoc />
    string IEngineOptions.EngineName => KnownEngines.V8;

    /// <summary>
    /// V8 runtimes (isolates) at most, each with its own thread; a runtime runs one script at a time, so this bounds
    /// the scripts running at once (more wait their turn), at each nesting depth: scripts of replies that tools run
    /// (<c>ScriptContext.NestingDepth</c>) have runtimes of their own, since their ancestors hold theirs while they
    /// wait. Runtimes are created on demand. Default: 2 × processor count, at least 4.
    /// </summary>
    public int MaxRuntimes { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>
    /// Fresh engines (contexts, each with the prelude evaluated) each runtime keeps ready while it has nothing to run,
    /// so a script does not wait for one (~0.3 ms of CPU each). Engines are never reused: each runs one script and is
    /// disposed after its outcome is handed back. 0 disables the pool: every script creates its engine when it starts.
    /// Default 2 (a few hundred KB of V8 heap each).
    /// </summary>
    public int WarmEnginesPerRuntime { get; init; } = 2;

    /// <summary>
    /// After this long without a script, a runtime other than the last one is disposed with its warm engines and its
    /// thread ends; the last one stays, warm (of a nested depth's runtimes, none stays). <see cref="Timeout.InfiniteTimeSpan"/>
    /// keeps every runtime. Default 30 s.
    /// </summary>
    public TimeSpan IdleTrimAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Compiled scripts each runtime keeps, keyed by the source's SHA-256 (least recently used out): a repeated script
    /// skips V8's parse and compile; it still runs in a fresh context. 0 disables the cache. Default 64.
    /// </summary>
    public int ScriptCacheSize { get; init; } = 64;

    /// <summary>Stack size of each runtime's thread, in bytes. Default 16 MiB; the script's own stack limit stays below half of it.</summary>
    public int ThreadStackBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Stack bytes a script may use per frame of <c>ScriptLimits.MaxRecursionDepth</c>: V8 limits stack bytes, not frames.
    /// Default 2 KiB (256 frames → 512 KiB, a few thousand simple frames in V8).
    /// </summary>
    public int StackBytesPerFrame { get; init; } = 2 * 1024;

    /// <summary>
    /// How often the runtime's heap size is sampled against the memory limit. Default 50 ms, which is also the most
    /// often ClearScript samples: lower values have no effect.
    /// </summary>
    public TimeSpan HeapSampleInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long past a script's deadline the host waits for its runtime thread before giving up on it (the script is
    /// reported as timed out and the runtime written off). Default 2 s.
    /// </summary>
    public TimeSpan WatchdogSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxRuntimes < 1)
        {
            problems.Add("Engines:V8:MaxRuntimes must be at least 1");
        }

        if (ThreadStackBytes < 1024 * 1024)
        {
            problems.Add("Engines:V8:ThreadStackBytes must be at least 1048576 (1 MiB)");
        }

        if (StackBytesPerFrame < 256)
        {
            problems.Add("Engines:V8:StackBytesPerFrame must be at least 256");
        }

        if (WarmEnginesPerRuntime < 0)
        {
            problems.Add("Engines:V8:WarmEnginesPerRuntime must not be negative");
        }

        if (ScriptCacheSize < 0)
        {
            problems.Add("Engines:V8:ScriptCacheSize must not be negative");
        }

        if (IdleTrimAfter <= TimeSpan.Zero && IdleTrimAfter != Timeout.InfiniteTimeSpan)
        {
            problems.Add("Engines:V8:IdleTrimAfter must be positive or Timeout.InfiniteTimeSpan");
        }

        if (HeapSampleInterval <= TimeSpan.Zero)
        {
            problems.Add("Engines:V8:HeapSampleInterval must be positive");
        }

        if (WatchdogSlack < TimeSpan.Zero)
        {
            problems.Add("Engines:V8:WatchdogSlack must not be negative");
        }

        return problems;
    }
}
