namespace ScriptHarness.Engines;

/// <summary>
/// How soon work handed now to a thread's owned object (<see cref="IDedicatedThreadOwned.Readiness"/>) would start; an
/// idle thread that is readier is preferred, the most recently used first among equals.
/// </summary>
public enum OwnedReadiness
{
    /// <summary>At once (a V8 runtime idle with a warm engine prepared, say).</summary>
    Ready,

    /// <summary>After a short step it is in the middle of (preparing ahead, with a warm engine already there).</summary>
    ReadySoon,

    /// <summary>Only after it has made or prepared what the work needs.</summary>
    NotReady,
}
