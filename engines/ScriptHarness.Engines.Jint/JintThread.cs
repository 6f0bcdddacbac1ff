namespace ScriptHarness.Engines.Jint;

/// <summary>
/// What a Jint sandbox thread owns (<see cref="DedicatedThreadPool{TOwned}"/>): nothing but the thread and its large
/// stack. Each script gets a brand-new engine and Jint keeps no state bound to a thread, so one instance serves every
/// thread; the thread matters because Jint's memory limit counts the allocations of the thread a script runs on.
/// </summary>
internal sealed class JintThread
{
    private JintThread()
    {
    }

    /// <summary>The one instance every sandbox thread shares.</summary>
    public static JintThread Shared { get; } = new();

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
        static () => Shared);

    /// <summary>How long a thread of a nested depth's pool waits for work before it ends.</summary>
    public static TimeSpan NestedIdleTimeout { get; } = TimeSpan.FromSeconds(30);
}
