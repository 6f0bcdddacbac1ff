using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// Dedicated threads with large stacks that run scripts start to finish. A script's event loop must stay on one
/// thread (Jint's memory limit counts the current thread's allocations), and creating a thread per script would
/// cost more than the whole script. Threads are added on demand up to a bound; a thread stuck in an overrunning
/// script is written off and replaced. Threads live for ever, or end after an idle period when one is given.
/// </summary>
internal sealed class SandboxThreadPool
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly int _stackSize;
    private readonly int _maxThreads;
    private readonly TimeSpan _idleTimeout;
    private int _threads;
    private int _idle;

    /// <param name="maxThreads">Threads at most (more scripts wait their turn).</param>
    /// <param name="stackSize">Each thread's stack, in bytes.</param>
    /// <param name="idleTimeout">How long a thread waits for work before it ends; infinite when null.</param>
    public SandboxThreadPool(int maxThreads, int stackSize, TimeSpan? idleTimeout = null)
    {
        _maxThreads = maxThreads;
        _stackSize = stackSize;
        _idleTimeout = idleTimeout ?? Timeout.InfiniteTimeSpan;
    }

    public int ThreadCount => Volatile.Read(ref _threads);

    public void Schedule(Action work)
    {
        _work.Add(work);

        // More queued work than idle threads: add one (never fewer threads than work, at worst one too many).
        if (_work.Count > Volatile.Read(ref _idle))
        {
            TryAddThread(_maxThreads);
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

        var thread = new Thread(Loop, _stackSize) { IsBackground = true, Name = "ScriptHarness.Jint" };
        thread.Start();
    }

    // Scripts tend to arrive back to back; waking a thread parked in the kernel costs far more than a short spin.
    private bool TryTakeSpinningFirst([NotNullWhen(true)] out Action? work)
    {
        var spin = new SpinWait();
        var until = Environment.TickCount64 + 1;
        while (Environment.TickCount64 <= until)
        {
            if (_work.TryTake(out work))
            {
                return true;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (_idleTimeout == Timeout.InfiniteTimeSpan)
        {
            work = _work.Take();
            return true;
        }

        return _work.TryTake(out work, _idleTimeout);
    }

    private void Loop()
    {
        while (true)
        {
            Interlocked.Increment(ref _idle);
            if (!TryTakeSpinningFirst(out var work))
            {
                Interlocked.Decrement(ref _idle);
                Interlocked.Decrement(ref _threads);

                // Work scheduled as this thread gave up may have counted it as idle and added no thread: add one now.
                if (_work.Count > 0)
                {
                    TryAddThread(_maxThreads);
                }

                return;
            }

            Interlocked.Decrement(ref _idle);
            work();
        }
    }
}
