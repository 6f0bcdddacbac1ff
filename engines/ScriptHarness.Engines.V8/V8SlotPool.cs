namespace ScriptHarness.Engines.V8;

/// <summary>
/// The runtimes and their threads (<see cref="V8Slot"/>), and which one runs each script. A script goes to an idle
/// slot with a warm engine ready, the most recently used first; failing that, to one still preparing an engine, or
/// it waits in the backlog that every slot drains before going idle. Slots are added on demand up to a bound, trimmed
/// after an idle period, and a slot stuck in an overrunning script is written off and replaced.
/// </summary>
/// <remarks>
/// Preparing an engine is one uninterruptible step of ~0.3 ms, and a runtime can do one thing at a time: a script
/// handed to a slot that is preparing waits for that step to end. So the next script prefers another idle slot, and
/// sequential scripts alternate between runtimes while each prepares its next engine in the other's shadow.
/// </remarks>
internal sealed class V8SlotPool
{
    private readonly Lock _gate = new();
    private readonly List<V8Slot> _slots = [];
    private readonly Queue<Action<V8Slot>> _backlog = new();
    private readonly V8EngineOptions _options;
    private readonly bool _keepLast;
    private int _writtenOff;
    private long _clock;
    private int _runtimesCreated;
    private int _runtimesDisposed;

    /// <summary>Set on a thread that handed a script to a slot (see <see cref="V8Slot"/>'s loop).</summary>
    [ThreadStatic]
    internal static bool WokeAnotherSlot;

    /// <param name="options">The engine's settings.</param>
    /// <param name="code">The code cache to share with other pools; a new one when null.</param>
    /// <param name="keepLast">Whether the last slot stays when idle (warm for the next script), or leaves like the others.</param>
    public V8SlotPool(V8EngineOptions options, V8CodeCache? code = null, bool keepLast = true)
    {
        _options = options;
        _keepLast = keepLast;
        Code = code ?? new V8CodeCache(options.ScriptCacheSize);
    }

    /// <summary>Code-cache bytes shared by the runtimes, and the script cache's hit counts.</summary>
    public V8CodeCache Code { get; }

    /// <summary>The memory limit of the scripts last seen: warm engines are prepared on runtimes sized for it.</summary>
    public long LastMemoryBytes { get; set; } = Runtime.ScriptLimits.Default.MemoryBytes;

    /// <summary>Slots (threads, each with at most one runtime) alive.</summary>
    public int SlotCount
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>V8 runtimes created so far (for tests: a retired runtime is replaced by a new one).</summary>
    public int RuntimesCreated => Volatile.Read(ref _runtimesCreated);

    /// <summary>V8 runtimes disposed so far.</summary>
    public int RuntimesDisposed => Volatile.Read(ref _runtimesDisposed);

    internal void CountCreated() => Interlocked.Increment(ref _runtimesCreated);

    internal void CountDisposed() => Interlocked.Increment(ref _runtimesDisposed);

    /// <summary>Warm engines ready across all slots.</summary>
    public int WarmEngineCount
    {
        get
        {
            lock (_gate)
            {
                return _slots.Sum(s => s.Stock);
            }
        }
    }

    public void Schedule(Action<V8Slot> work)
    {
        V8Slot? added = null;
        lock (_gate)
        {
            var (slot, ready) = Pick();
            if (slot is null)
            {
                _backlog.Enqueue(work);
            }
            else
            {
                slot.Assigned = work;
                slot.Signal();
                WokeAnotherSlot = true;
            }

            // No slot was ready to start at once: add one for what comes next (this script may still get it first).
            if (!ready && _slots.Count < _options.MaxRuntimes + _writtenOff)
            {
                added = new V8Slot(this, _options);
                _slots.Add(added);
            }
        }

        added?.Start();
    }

    /// <summary>
    /// <paramref name="slot"/> is stuck in a script that overran its deadline: allow one more slot so the pool keeps
    /// its capacity; the stuck one leaves the pool if it ever comes back.
    /// </summary>
    public void WriteOff(V8Slot slot)
    {
        var added = default(V8Slot);
        lock (_gate)
        {
            if (slot.WrittenOff)
            {
                return;
            }

            slot.WrittenOff = true;
            _writtenOff++;
            if (_backlog.Count > 0)
            {
                added = new V8Slot(this, _options);
                _slots.Add(added);
            }
        }

        added?.Start();
    }

    /// <summary>The slot's next script (assigned to it, else the oldest in the backlog), or null: it is idle.</summary>
    internal Action<V8Slot>? Next(V8Slot slot)
    {
        lock (_gate)
        {
            var work = slot.Assigned;
            slot.Assigned = null;
            if (work is null && !slot.WrittenOff)
            {
                _backlog.TryDequeue(out work);
            }

            slot.Busy = work is not null;
            if (work is not null)
            {
                slot.LastUsed = ++_clock;
            }

            return work;
        }
    }

    /// <summary>The slot finished its script and may be given the next one.</summary>
    internal void Release(V8Slot slot)
    {
        lock (_gate)
        {
            slot.Busy = false;
        }
    }

    /// <summary>Whether the slot may start preparing an engine now (no script is waiting for it).</summary>
    internal bool BeginPrepare(V8Slot slot)
    {
        lock (_gate)
        {
            if (slot.Assigned is not null || _backlog.Count > 0)
            {
                return false;
            }

            slot.Preparing = true;
            return true;
        }
    }

    internal void Publish(V8Slot slot, int stock, bool preparing)
    {
        lock (_gate)
        {
            slot.Stock = stock;
            slot.Preparing = preparing;
        }
    }

    /// <summary>
    /// Whether the slot leaves the pool: it was written off, or it has been idle for the trim period and is not the
    /// last one kept.
    /// </summary>
    internal bool TryLeave(V8Slot slot, bool idleTimeout)
    {
        lock (_gate)
        {
            if (slot.WrittenOff)
            {
                _writtenOff--;
            }
            else if (!idleTimeout || slot.Assigned is not null || _backlog.Count > 0 || (_keepLast && _slots.Count <= 1))
            {
                return false;
            }

            _slots.Remove(slot);
            slot.Stock = 0;
            return true;
        }
    }

    /// <summary>
    /// The best idle slot for a script, and whether it can start at once: idle with a warm engine and not preparing
    /// (with the pool disabled: idle), else idle and preparing with an engine ready, else any idle slot; the most
    /// recently used first within each kind.
    /// </summary>
    private (V8Slot? Slot, bool Ready) Pick()
    {
        V8Slot? best = null;
        var bestRank = int.MaxValue;
        foreach (var slot in _slots)
        {
            if (slot.Busy || slot.Assigned is not null || slot.WrittenOff)
            {
                continue;
            }

            var rank = !slot.Preparing && (slot.Stock > 0 || _options.WarmEnginesPerRuntime == 0) ? 0
                : slot.Stock > 0 ? 1
                : 2;
            if (rank < bestRank || (rank == bestRank && slot.LastUsed > best!.LastUsed))
            {
                best = slot;
                bestRank = rank;
            }
        }

        return (best, bestRank == 0);
    }
}
