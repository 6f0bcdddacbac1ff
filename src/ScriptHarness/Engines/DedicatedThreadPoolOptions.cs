namespace ScriptHarness.Engines;

/// <summary>Settings of a <see cref="DedicatedThreadPool{TOwned}"/>, validated when the pool is created.</summary>
public sealed record DedicatedThreadPoolOptions
{
    /// <summary>
    /// Threads at most; more work waits its turn. A thread written off (<see cref="DedicatedThreadPool{TOwned}.WriteOff"/>)
    /// does not count. Default: 2 × processor count, at least 4.
    /// </summary>
    public int MaxThreads { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Stack size of each thread, in bytes. Default 16 MiB, so deep but legal script recursion never nears a native overflow.</summary>
    public int StackBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The name each thread is given (what a debugger or a dump shows).</summary>
    public string ThreadName { get; init; } = "ScriptHarness.Engine";

    /// <summary>
    /// After this long with nothing to do, a thread disposes what it owns and ends (see <see cref="KeepLastThread"/>).
    /// <see cref="Timeout.InfiniteTimeSpan"/> (the default) keeps every thread.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Whether the last thread stays when idle, keeping what it owns ready for the next work. Default true.</summary>
    public bool KeepLastThread { get; init; } = true;

    /// <summary>
    /// How long a thread that ran out of work spins before it parks. Work tends to arrive back to back, and waking a
    /// thread parked in the kernel can cost more than a short work item; spinning costs a core meanwhile. The clock
    /// ticks in milliseconds: a positive value spins one to two more. Default zero (park at once).
    /// </summary>
    public TimeSpan SpinBeforeWaiting { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Whether work scheduled from a thread of the pool while it runs work (the caller's continuation ran there) is
    /// queued rather than handed to another thread: the scheduling thread usually takes it as soon as its own work ends,
    /// still warm, while an idle thread is woken as well and takes it if the scheduling thread does not come back first.
    /// Suits short work with nothing to prepare between items (Jint). Default false: the work goes to another thread,
    /// as a pool whose threads prepare ahead between items (V8) wants.
    /// </summary>
    public bool QueueWorkFromOwnThreads { get; init; }

    /// <summary>
    /// Work items waiting for a thread at most; one more is refused with <c>concurrency_limit</c> rather than queued
    /// without bound. At least 1: work handed to a thread the pool is starting waits in the queue meanwhile. Default 10,000.
    /// </summary>
    public int MaxQueued { get; init; } = 10_000;

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxThreads < 1)
        {
            problems.Add("DedicatedThreadPool:MaxThreads must be at least 1");
        }

        if (StackBytes < 256 * 1024)
        {
            problems.Add("DedicatedThreadPool:StackBytes must be at least 262144 (256 KiB)");
        }

        if (string.IsNullOrWhiteSpace(ThreadName))
        {
            problems.Add("DedicatedThreadPool:ThreadName must not be empty");
        }

        if (IdleTimeout <= TimeSpan.Zero && IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add("DedicatedThreadPool:IdleTimeout must be positive or Timeout.InfiniteTimeSpan");
        }

        if (SpinBeforeWaiting < TimeSpan.Zero || SpinBeforeWaiting > TimeSpan.FromMilliseconds(100))
        {
            problems.Add("DedicatedThreadPool:SpinBeforeWaiting must be between 0 and 100 ms");
        }

        if (MaxQueued < 1)
        {
            problems.Add("DedicatedThreadPool:MaxQueued must be at least 1");
        }

        return problems;
    }
}
