using System.Collections.Concurrent;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// The runtimes and their threads. Each thread owns one <see cref="V8Slot"/> and runs scripts from the shared queue
/// one at a time, with a warm engine prepared between them. Threads (and runtimes) are added on demand up to a bound;
/// a thread stuck in an overrunning script is written off and replaced.
/// </summary>
internal sealed class V8SlotPool
{
    private readonly BlockingCollection<Action<V8Slot>> _work = [];
    private readonly V8EngineOptions _options;
    private int _threads;
    private int _idle;

    public V8SlotPool(V8EngineOptions options) => _options = options;

    public int ThreadCount => Volatile.Read(ref _threads);

    /// <summary>The memory limit of the scripts last seen: warm engines are prepared on runtimes sized for it.</summary>
    public long LastMemoryBytes { get; set; } = Runtime.ScriptLimits.Default.MemoryBytes;

    public void Schedule(Action<V8Slot> work)
    {
        _work.Add(work);

        // More queued work than idle threads: add one (never fewer threads than work, at worst one too many).
        if (_work.Count > Volatile.Read(ref _idle))
        {
            TryAddThread(_options.MaxRuntimes);
        }
    }

    /// <summary>A thread is stuck in a script that overran its deadline: allow one more so the pool keeps its capacity.</summary>
    public void WriteOff() => TryAddThread(int.MaxValue);

    private void TryAddThread(int bound)
    {
        while (true)
        {
            var count = Volatile.Read(ref _threads);
            if (count >= bound)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _threads, count + 1, count) == count)
            {
                break;
            }
        }

        var thread = new Thread(Loop, _options.ThreadStackBytes) { IsBackground = true, Name = "ScriptHarness.V8" };
        thread.Start();
    }

    private void Loop()
    {
        // The slot lives as long as the process: its thread is a background thread that never ends.
        var slot = new V8Slot(_options);
        while (true)
        {
            slot.PrepareWarm(LastMemoryBytes);
            Interlocked.Increment(ref _idle);
            var work = _work.Take();
            Interlocked.Decrement(ref _idle);
            work(slot);
        }
    }
}
