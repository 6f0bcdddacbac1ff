using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>Settings of the Jint engine itself (the per-script limits come from <c>ScriptLimits</c>).</summary>
public sealed record JintEngineOptions : IEngineOptions
{
    /// <inheritdoc />
    string IEngineOptions.EngineName => KnownEngines.Jint;

    /// <summary>
    /// Dedicated sandbox threads at most (more scripts wait their turn), at each nesting depth: scripts of replies that
    /// tools run (<c>ScriptContext.NestingDepth</c>) have threads of their own, since their ancestors hold theirs while
    /// they wait. Default: 2 × processor count, at least 4.
    /// </summary>
    public int MaxThreads { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>
    /// Stack size of each sandbox thread, in bytes. Default 256 MiB in a 64-bit process (16 MiB in a 32-bit one, whose
    /// address space would not hold many such threads), of address space: only the pages a script touches take memory.
    /// A script may take 1/64 of it (and 8 KiB a frame of <c>Limits:MaxRecursionDepth</c>, 2 MiB by default); the rest
    /// is for unwinding, which in Jint can take ~30 times the script's own frames (a limit met deep in <c>yield*</c>
    /// delegation), so that it never ends in a native stack overflow, which would end the process. A smaller stack
    /// lowers the depth a script reaches, never that guarantee. Under strict overcommit (Linux
    /// <c>vm.overcommit_memory=2</c>) each thread's whole stack counts against the commit limit: lower it there.
    /// </summary>
    public int ThreadStackBytes { get; init; } = DefaultThreadStackBytes;

    internal const int MinimumThreadStackBytes = 16 * 1024 * 1024;

    internal static readonly int DefaultThreadStackBytes = Environment.Is64BitProcess ? 256 * 1024 * 1024 : MinimumThreadStackBytes;

    /// <summary>
    /// How long past a script's timeout the host waits for the sandbox thread before giving up on it
    /// (the script is reported as timed out and the thread written off). Default 2 s.
    /// </summary>
    public TimeSpan WatchdogSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether a script stopped by its memory limit is followed by a background full collection. Jint's limit is an
    /// allocation budget on the managed heap, so a stopped script leaves up to its limit of objects that lived long
    /// enough to reach the oldest generation, where they could wait for a long time; collecting at once keeps the
    /// process's peak near one script's worth. Default true.
    /// </summary>
    public bool CollectAfterMemoryLimit { get; init; } = true;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxThreads < 1)
        {
            problems.Add("Engines:Jint:MaxThreads must be at least 1");
        }

        if (ThreadStackBytes < MinimumThreadStackBytes)
        {
            // A script may take 1/64 of it: at 1 MiB, too little for a map and a JSON.stringify.
            problems.Add("Engines:Jint:ThreadStackBytes must be at least 16777216 (16 MiB)");
        }

        if (WatchdogSlack < TimeSpan.Zero)
        {
            problems.Add("Engines:Jint:WatchdogSlack must not be negative");
        }

        return problems;
    }
}
