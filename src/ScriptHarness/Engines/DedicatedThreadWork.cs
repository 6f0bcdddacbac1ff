namespace ScriptHarness.Engines;

/// <summary>
/// One piece of work for a <see cref="DedicatedThreadPool{TOwned}"/> — typically one script — run on a thread with
/// the <typeparamref name="TOwned"/> it needs. Exactly one of <see cref="Run"/> and <see cref="Fail"/> completes it
/// (<see cref="Fail"/> also follows a <see cref="Run"/> that threw). An engine keeps the script's state and its
/// completion in its subclass, so scheduling a script costs this one object.
/// </summary>
/// <typeparam name="TOwned">What each thread of the pool owns.</typeparam>
public abstract class DedicatedThreadWork<TOwned>
    where TOwned : class
{
    /// <summary>Set once the work is scheduled: a work item runs once.</summary>
    internal bool Scheduled { get; set; }

    /// <summary>Runs the work on a thread of the pool, with what that thread owns. Must not block on other work of the same pool.</summary>
    /// <param name="owned">The thread's owned object, made on that thread and used by it alone.</param>
    protected internal abstract void Run(TOwned owned);

    /// <summary>
    /// The work did not complete: it never ran (its thread could not make what it owns, or the pool was disposed
    /// first), or <see cref="Run"/> threw (the error's inner exception). Called on any thread; must not throw.
    /// </summary>
    /// <param name="error">A typed error saying why.</param>
    protected internal abstract void Fail(ScriptHarnessException error);
}
