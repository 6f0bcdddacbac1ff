namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>
/// Which ends of the worker pipes may poll (<see cref="PipeSpin"/>) rather than sleep, from the scripts running in
/// Process isolation in this host: never more pollers than processors. A running script has up to two: the worker's
/// engine thread while it waits for an answer, and the host's reader right after it answered a call. The host decides
/// for both ends; the worker learns it with each run and each answer (<see cref="RunFrame.MayPoll"/>,
/// <see cref="ToolResultFrame.MayPoll"/>).
/// </summary>
/// <remarks>
/// One poller more than processors takes the core that the answer it waits for needs. Two tool-heavy scripts at once on 2
/// cores (replies of 500 echo calls, two at a time, alternating runs): 85–95 µs per call with both ends polling, 89–90
/// with neither, 77–79 with only the workers polling; one script alone (W3): 39–45 µs with both ends polling, 47–55 with
/// only the worker.
/// </remarks>
internal sealed class PollGate(int processors)
{
    private int _running;

    /// <summary>The gate of this process's scripts: every pool's workers share the processors.</summary>
    public static PollGate Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>Scripts running in worker processes now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Whether the host's reader may poll for the next frame: while each running script can have a processor for each end.</summary>
    public bool HostMayPoll => Running * 2 <= processors;

    /// <summary>Whether a worker's engine thread may poll for its answers: while each running script can have a processor for it.</summary>
    public bool WorkerMayPoll => Running <= processors;

    /// <summary>Counts a script as running until the returned lease is disposed.</summary>
    public Lease Enter()
    {
        Interlocked.Increment(ref _running);
        return new Lease(this);
    }

    /// <summary>One running script; disposing it more than once counts once.</summary>
    public sealed class Lease(PollGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref gate._running);
            }
        }
    }
}
