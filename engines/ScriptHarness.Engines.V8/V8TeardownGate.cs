namespace ScriptHarness.Engines.V8;

/// <summary>
/// Keeps the teardown of V8 runtimes off the process's way out. A runtime's thread tears it down when the runtime is
/// retired or its engine disposed, and a host's code may go on on that very thread (an awaited script resumes there),
/// dispose the engine from it (a thread cannot wait for itself) and return from <c>Main</c>: the C++ exit handlers then
/// destroyed V8's process-wide state (its page pool) while that thread still tore the runtime down, and the process
/// ended with SIGSEGV after all its work was done (1 run in 4 to 16 of a benchmark child). Once the process exits, no
/// teardown starts (the system takes the memory back); one under way finishes first.
/// </summary>
internal sealed class V8TeardownGate
{
    private readonly object _gate = new();
    private int _active;
    private bool _exiting;

    private static readonly V8TeardownGate ProcessGate = ForProcess();

    /// <summary>The process's gate: closed when the process exits (<see cref="AppDomain.ProcessExit"/> runs before the C++ exit handlers).</summary>
    public static V8TeardownGate Process => ProcessGate;

    /// <summary>
    /// Makes sure the process's gate closes at exit, before the first runtime exists: a gate first touched by a teardown
    /// that starts while the process exits would be watching too late.
    /// </summary>
    public static void Watch() => GC.KeepAlive(ProcessGate);

    /// <summary>Whether a teardown may start; when true, <see cref="End"/> must follow it.</summary>
    public bool TryBegin()
    {
        lock (_gate)
        {
            if (_exiting)
            {
                return false;
            }

            _active++;
            return true;
        }
    }

    /// <summary>A teardown begun with <see cref="TryBegin"/> is over.</summary>
    public void End()
    {
        lock (_gate)
        {
            _active--;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Refuses later teardowns and waits, at most <paramref name="patience"/>, for those under way; false if one is still running.</summary>
    public bool Close(TimeSpan patience)
    {
        var until = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        lock (_gate)
        {
            _exiting = true;
            while (_active > 0)
            {
                var left = until - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                {
                    return _active == 0;
                }
            }

            return true;
        }
    }

    private static V8TeardownGate ForProcess()
    {
        var gate = new V8TeardownGate();

        // A teardown takes milliseconds; one that hangs must not hold the exit for ever.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => gate.Close(TimeSpan.FromSeconds(5));
        return gate;
    }
}
