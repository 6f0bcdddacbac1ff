namespace ScriptHarness.Engines;

/// <summary>
/// What a thread of a <see cref="DedicatedThreadPool{TOwned}"/> owns, when it has more to say than being made and
/// disposed: whether it is ready for work at once, whether it must be retired, and work of its own to do while no
/// work waits (preparing ahead, tidying up). Implementing it is optional.
/// </summary>
public interface IDedicatedThreadOwned
{
    /// <summary>
    /// Whether work handed to it now would start at once (a V8 runtime with a warm engine prepared, say); an idle
    /// thread whose owned object is ready is preferred. Read from other threads without a lock: a hint.
    /// </summary>
    bool IsReady { get; }

    /// <summary>
    /// Whether it can no longer be used (a runtime that hit its memory limit): read on its thread after each work item
    /// and idle step; when true, the thread disposes it and ends, and a new thread takes its place when work needs one.
    /// </summary>
    bool MustRetire { get; }

    /// <summary>Whether it has a step of its own work to do while no work waits (read on its thread).</summary>
    bool HasIdleWork { get; }

    /// <summary>
    /// Does one short step of its own work, on its thread, when no work is waiting for it; work that arrives meanwhile
    /// waits for the step, so each should be short.
    /// </summary>
    void RunIdleStep();
}
