using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// The errors every engine reports when a limit stops a script, with one plain message per limit (no engine type
/// names, no host paths), so a script sees the same text whichever engine ran it.
/// </summary>
public static class EngineErrors
{
    /// <summary>Longest error message handed back from a script, in UTF-16 code units.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>The script ran past its deadline.</summary>
    public static ScriptError Timeout(ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(ScriptErrorCode.Timeout, $"the script ran longer than its time limit of {limits.Timeout.TotalMilliseconds:0} ms");
    }

    /// <summary>One regular expression match ran past its own limit (never longer than the script's).</summary>
    public static ScriptError RegexTimeout(ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(ScriptErrorCode.Timeout,
            $"a regular expression ran longer than its time limit of {Math.Min(limits.RegexTimeout.TotalMilliseconds, limits.Timeout.TotalMilliseconds):0} ms");
    }

    /// <summary>The script awaits a promise nothing can settle: no tool call is pending and there are no timers.</summary>
    public static ScriptError NeverSettles() => new(ScriptErrorCode.Timeout,
        "the script is waiting for a promise that can never settle (no tool call is pending)");

    /// <summary>The host cancelled the run.</summary>
    public static ScriptError Cancelled() => new(ScriptErrorCode.Cancelled, "the run was cancelled");

    /// <summary>The script went over its memory limit.</summary>
    public static ScriptError MemoryLimit(ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(ScriptErrorCode.MemoryLimit, $"the script exceeded its memory limit of {Size(limits.MemoryBytes)}");
    }

    /// <summary>The script made an array longer than its limit.</summary>
    public static ScriptError ArrayLength(ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(ScriptErrorCode.MemoryLimit, $"the script created an array longer than the limit of {limits.MaxArrayLength} elements");
    }

    /// <summary>The script called deeper than its call depth limit (an engine that counts frames).</summary>
    public static ScriptError CallDepth(ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(ScriptErrorCode.RecursionLimit, $"the script exceeded its call depth limit of {limits.MaxRecursionDepth} frames");
    }

    /// <summary>The script overflowed its call stack (an engine that limits the stack's size).</summary>
    public static ScriptError CallStack(ScriptLimits limits, long stackBytes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(ScriptErrorCode.RecursionLimit,
            $"the script exceeded its call stack limit of {Size(stackBytes)} (call depth limit {limits.MaxRecursionDepth} frames)");
    }

    /// <summary>Something went wrong inside the engine itself (never the script's fault); <paramref name="engine"/> names it.</summary>
    public static ScriptError Internal(string engine) => new(ScriptErrorCode.HarnessInternal, $"internal error in the {engine} engine");

    /// <summary>A byte count as people read it (bytes, KB, MB).</summary>
    public static string Size(long bytes) => ReturnValues.Size(bytes);

    /// <summary>A script's error message, cut at <see cref="MaxMessageLength"/>.</summary>
    public static string Message(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "…");
    }
}
