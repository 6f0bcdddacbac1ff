namespace ScriptHarness.Engines;

/// <summary>
/// What a thread of a <see cref="DedicatedThreadPool{TOwned}"/> owns, when it has more to say than being made and
/// disposed: how soon it could start work, whether it must be retired, and work of its own to do while no work waits
/// (preparing ahead, tidying up). Implementing it is optional: without it, a thread is ready once its owned object is made.
/// </summary>
public interface IDedicatedThreadOwned
{
    /// <summary>
    /// How soon work handed to it now would start, its own idle steps (<see cref="RunIdleStep"/>) included: a step that
    /// keeps it busy for long should read <see cref="OwnedReadiness.ReadySoon"/> or <see cref="OwnedReadiness.NotReady"/>
    /// while it runs, a step of a few microseconds need not. Read from other threads without a lock: a hint.
    /// </summary>
    OwnedReadiness Readiness { get; }

    /// <summary>
    /// Whether it can no longer be used (a runtime that hit its memory limit): read on its thread after each work item
    /// and idle step; when true, the thread disposes it and ends, and a new thread takes its place when work needs one.
    /// </summary>
    bool MustRetire { get; }

    /// <summary>Whether it has a step of its own work to do while no work waits (read on its thread).</summary>
    bool HasIdleWork { get; }

    /// <summary>
    /// Does one short step of its own work, on its thread, when no work is waiting for it; work handed to it meanwhile
    /// waits for the step, so each should be short.
    /// </summary>
    void RunIdleStep();
}
