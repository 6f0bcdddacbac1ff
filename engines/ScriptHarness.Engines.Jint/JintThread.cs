namespace ScriptHarness.Engines.Jint;

/// <summary>
/// What a Jint sandbox thread owns (<see cref="DedicatedThreadPool{TOwned}"/>): nothing but the thread, its large stack,
/// and whether that stack is still fit to serve. Each script gets a brand-new engine and Jint keeps no state bound to a
/// thread; the thread matters because Jint's memory limit counts the allocations of the thread a script runs on.
/// </summary>
internal sealed class JintThread : IDedicatedThreadOwned
{
    /// <inheritdoc />
    public OwnedReadiness Readiness => OwnedReadiness.Ready;

    /// <summary>
    /// Set after a run that a limit stopped (<see cref="JintScriptWork"/>): such a run may have unwound from deep in the
    /// stack, and the tens of MiB of stack that unwinding touched would stay resident for the thread's life. The thread
    /// ends instead, and a fresh one takes its place when work needs it.
    /// </summary>
    public bool MustRetire { get; private set; }

    /// <inheritdoc />
    public bool HasIdleWork => false;

    /// <summary>The sandbox threads of one nesting depth.</summary>
    /// <param name="options">The engine's settings.</param>
    /// <param name="nested">Whether the pool is a nested depth's: its threads end after an idle period.</param>
    public static DedicatedThreadPool<JintThread> Pool(JintEngineOptions options, bool nested) => new(
        new DedicatedThreadPoolOptions
        {
            MaxThreads = options.MaxThreads,
            StackBytes = options.ThreadStackBytes,
            ThreadName = "ScriptHarness.Jint",
            IdleTimeout = nested ? NestedIdleTimeout : Timeout.InfiniteTimeSpan,
            KeepLastThread = false,

            // Scripts tend to arrive back to back, and a trivial one costs less than waking a parked thread; the next
            // script of a caller whose continuation ran here usually starts here too, on a warm thread.
            SpinBeforeWaiting = TimeSpan.FromMilliseconds(1),
            QueueWorkFromOwnThreads = true,
        },
        static () => new JintThread());

    /// <summary>How long a thread of a nested depth's pool waits for work before it ends.</summary>
    public static TimeSpan NestedIdleTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The thread ends after its current work (see <see cref="MustRetire"/>).</summary>
    public void Retire() => MustRetire = true;

    /// <inheritdoc />
    public void RunIdleStep()
    {
        // No idle work (HasIdleWork is false): the pool never calls this.
    }
}
