namespace ScriptHarness.Engines;

/// <summary>
/// Tool-call completions on their way back to an engine's pump thread. Calls complete on any thread and post here;
/// the pump takes them on its own thread, where the engine may run. Once closed (the script is over and its engine
/// about to go), late completions are dropped, never delivered to a disposed engine.
/// </summary>
/// <typeparam name="T">What an engine needs to settle one call (a promise, or a call id and its envelope).</typeparam>
public sealed class HostCompletionQueue<T>
{
    private readonly Queue<T> _items = new();
    private readonly Lock _gate = new();

    // Never disposed: a late completion may still signal it after the run; Post drops the item once closed.
    private readonly SemaphoreSlim _signal = new(0);
    private int _pending;

    // How many are queued, written under the lock and read without it: the pump is the only taker, so a count it reads
    // can only grow behind its back, and a post it missed is seen by Wait, which looks again under the lock. This keeps
    // a call that completes at once to two lock turns (its post and its take) instead of five.
    private int _queued;
    private bool _closed;

    // Whether the pump waits (or is about to) on the signal: only then does a post release it. A call that completes
    // at once is posted by the pump's own thread, which takes it before it would wait, so it costs no signal at all.
    private bool _waiting;

    /// <summary>Calls started and not yet taken off the queue.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Whether nothing can ever arrive: no call pending and nothing queued.</summary>
    public bool IsIdle => Volatile.Read(ref _pending) == 0; // a queued completion's call stays pending until taken

    /// <summary>A call has started; its completion will be posted.</summary>
    public void CallStarted() => Interlocked.Increment(ref _pending);

    /// <summary>Delivers a finished call's completion to the pump; dropped once the queue is closed.</summary>
    public void Post(T item)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _items.Enqueue(item);
            Volatile.Write(ref _queued, _items.Count);
            if (_waiting)
            {
                _waiting = false;
                _signal.Release();
            }
        }
    }

    /// <summary>Takes the next completion, on the pump's thread; false when none is queued.</summary>
    public bool TryTake(out T item)
    {
        if (Volatile.Read(ref _queued) == 0)
        {
            item = default!;
            return false;
        }

        lock (_gate)
        {
            if (!_items.TryDequeue(out item!))
            {
                return false;
            }

            Volatile.Write(ref _queued, _items.Count);
        }

        Interlocked.Decrement(ref _pending); // CallStarted may run on another thread
        return true;
    }

    /// <summary>
    /// Waits until something may have been posted, at most <paramref name="timeout"/>; at once when something is queued.
    /// May return true with nothing queued (a signal left from a wait that timed out): the pump looks again.
    /// </summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _queued) > 0)
        {
            return true;
        }

        lock (_gate)
        {
            if (_items.Count > 0)
            {
                return true;
            }

            _waiting = true;
        }

        try
        {
            return _signal.Wait(timeout, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _waiting = false;
            }
        }
    }

    /// <summary>Ends delivery: later completions are dropped, never handed to an engine that is going away.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }
}
