using System.Collections.Concurrent;
using ScriptHarness.Context;
using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// The kit's dedicated-thread scheduler: work runs in order on the thread that made its owned object, a retired owned
/// object takes its thread with it, disposal fails queued work and joins the threads, and every way work cannot run
/// ends in a typed error, never a hang or a dead pool.
/// </summary>
public sealed partial class DedicatedThreadPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Work_RunsInOrder_OnTheThreadThatMadeItsOwnedObject()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        var order = new ConcurrentQueue<int>();
        var works = Enumerable.Range(0, 20).Select(i => new Work(owned =>
        {
            Assert.Equal(owned.ThreadId, Environment.CurrentManagedThreadId);
            order.Enqueue(i);
        })).ToList();
        foreach (var work in works)
        {
            pool.Schedule(work);
        }

        await Task.WhenAll(works.Select(w => w.Done)).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 20), order);
        Assert.Single(made);
    }

    [Fact]
    public async Task OwnedObjectThatMustRetire_IsDisposedOnItsThread_AndANewOneTakesItsPlace()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        var first = new Work(owned => owned.Retire = true);
        pool.Schedule(first);
        var retired = await first.Done.WaitAsync(Patience);

        var second = new Work(_ => { });
        pool.Schedule(second);
        var replacement = await second.Done.WaitAsync(Patience);

        Assert.NotSame(retired, replacement);
        Assert.Equal(2, made.Count);
        Assert.True(await Eventually(() => retired.DisposedOnThread != 0), "the retired owned object was never disposed");
        Assert.Equal(retired.ThreadId, retired.DisposedOnThread);
        Assert.Equal(0, replacement.DisposedOnThread);
        Assert.Equal(1, pool.ThreadCount);
    }

    [Fact]
    public async Task Dispose_FailsQueuedWorkWithCancelled_LetsRunningWorkFinish_AndJoinsItsThreads()
    {
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        using var release = new ManualResetEventSlim();
        var running = await HoldAsync(pool, release);
        var queued = new[] { new Work(_ => { }), new Work(_ => { }) };
        foreach (var work in queued)
        {
            pool.Schedule(work);
        }

        var disposing = Task.Run(pool.Dispose);
        foreach (var work in queued)
        {
            var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => work.Done.WaitAsync(Patience));
            Assert.Equal(ScriptErrorCode.Cancelled, error.Error.Code);
            Assert.Equal("the engine was disposed before the script started", error.Error.Message);
        }

        // The running work holds its thread, and disposal waits for it.
        Assert.False(disposing.IsCompleted);
        release.Set();
        await disposing.WaitAsync(Patience);

        var owned = await running.Done;
        Assert.Equal(owned.ThreadId, owned.DisposedOnThread);
        Assert.Single(made);
        Assert.Equal(0, pool.ThreadCount);
        Assert.Throws<ObjectDisposedException>(() => pool.Schedule(new Work(_ => { })));
    }

    [Fact]
    public async Task Dispose_WaitsForAThreadThatLeftThePool_UntilWhatItOwnedIsDisposed()
    {
        // A retired thread disposes what it owns once it is out of the pool, and a V8 runtime's teardown takes a while:
        // a host that disposes the engine and exits must not leave that teardown racing the process's own (SIGSEGV).
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var retiring = new Work(owned =>
        {
            owned.DisposeGate = release;
            owned.Retire = true;
        });
        pool.Schedule(retiring);
        var retired = await retiring.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => retired.DisposedOnThread != 0), "the retired owned object was never disposed");
        Assert.Equal(0, pool.ThreadCount);
        Assert.Equal(1, pool.LeavingCount);

        var disposing = Task.Run(pool.Dispose);
        await Task.WhenAny(disposing, Task.Delay(200));
        Assert.False(disposing.IsCompleted, "disposal returned while a thread that left the pool was still disposing");

        release.Set();
        await disposing.WaitAsync(Patience);
        Assert.True(retired.DisposeFinished);
        Assert.Equal(0, pool.LeavingCount);
    }

    [Fact]
    public async Task ThreadsThatLeft_AreForgotten_OnceTheyHaveDisposedWhatTheyOwned()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        for (var i = 0; i < 3; i++)
        {
            var retiring = new Work(owned => owned.Retire = true);
            pool.Schedule(retiring);
            var retired = await retiring.Done.WaitAsync(Patience);
            Assert.True(await Eventually(() => retired.DisposeFinished), "the retired owned object was never disposed");
        }

        Assert.True(await Eventually(() => pool.LeavingCount == 0), $"threads still counted as leaving: {pool.LeavingCount}");
    }

    [Fact]
    public async Task AReplacementThreadThatStartsAfterDisposal_MakesNothing()
    {
        // The replacement for a retiring thread is started by that thread once it has disposed what it owned: held
        // there, disposal finds the replacement not started yet and does not wait for it.
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        using var holdWork = new ManualResetEventSlim();
        using var holdDisposal = new ManualResetEventSlim();
        var retiring = await HoldAsync(pool, holdWork, owned =>
        {
            owned.DisposeGate = holdDisposal;
            owned.Retire = true;
        });
        var queued = new Work(_ => { });
        pool.Schedule(queued);
        holdWork.Set();
        var retired = await retiring.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => retired.DisposedOnThread != 0), "the retired owned object was never disposed");

        var disposing = Task.Run(pool.Dispose);
        var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => queued.Done.WaitAsync(Patience));
        Assert.Equal(ScriptErrorCode.Cancelled, error.Error.Code);
        holdDisposal.Set();
        await disposing.WaitAsync(Patience);

        Assert.True(await Eventually(() => pool.ThreadCount == 0), $"threads after disposal: {pool.ThreadCount}");
        Assert.Single(made);
    }

    [Fact]
    public async Task WorkThatThrows_FailsWithATypedErrorHoldingItsException_AndThePoolGoesOn()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        var thrown = new InvalidOperationException("boom");
        var throwing = new Work(_ => throw thrown);
        pool.Schedule(throwing);

        var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => throwing.Done.WaitAsync(Patience));
        Assert.Equal(ScriptErrorCode.HarnessInternal, error.Error.Code);
        Assert.Equal("internal error on an engine thread", error.Error.Message);
        Assert.Same(thrown, error.InnerException);

        // What the failed work ran on is not trusted with more: the next work gets a new one.
        var next = new Work(_ => { });
        pool.Schedule(next);
        var owned = await next.Done.WaitAsync(Patience);
        Assert.Equal(2, made.Count);
        Assert.NotSame(made.First(), owned);
        Assert.True(await Eventually(() => made.First().DisposedOnThread != 0), "the owned object of the failed work was never disposed");
    }

    [Fact]
    public async Task OwnedObjectThatCannotBeMade_FailsTheWorkWithATypedError_AndALaterThreadTriesAgain()
    {
        var attempts = 0;
        var cause = new InvalidOperationException("no runtime today");
        using var pool = new DedicatedThreadPool<Owned>(new DedicatedThreadPoolOptions { MaxThreads = 1 }, () =>
            Interlocked.Increment(ref attempts) == 1 ? throw cause : new Owned());
        var first = new Work(_ => { });
        pool.Schedule(first);

        var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => first.Done.WaitAsync(Patience));
        Assert.Equal(ScriptErrorCode.HarnessInternal, error.Error.Code);
        Assert.Equal("an engine thread could not make what it runs scripts on", error.Error.Message);
        Assert.Same(cause, error.InnerException);

        var second = new Work(_ => { });
        pool.Schedule(second);
        await second.Done.WaitAsync(Patience);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task WrittenOffThread_NoLongerCounts_AndLeavesWhenItComesBack()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        using var release = new ManualResetEventSlim();
        var stuck = await HoldAsync(pool, release);

        // The only thread is stuck: once written off, other work still runs.
        pool.WriteOff(stuck);
        var next = new Work(_ => { });
        pool.Schedule(next);
        var other = await next.Done.WaitAsync(Patience);
        Assert.Equal(2, pool.ThreadCount);

        release.Set();
        var owned = await stuck.Done.WaitAsync(Patience);
        Assert.NotSame(owned, other);
        Assert.True(await Eventually(() => pool.ThreadCount == 1), $"threads: {pool.ThreadCount}");
        Assert.Equal(owned.ThreadId, owned.DisposedOnThread);
        Assert.Equal(0, other.DisposedOnThread);
    }

    [Fact]
    public async Task WorkQueuedFromAPoolThreadForItself_IsTakenByAnIdleThread_WhenTheSchedulingThreadWaitsForIt()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2, QueueWorkFromOwnThreads = true }, out var made);
        using var release = new ManualResetEventSlim();
        var first = Blocking(release, out var firstStarted);
        var second = Blocking(release, out var secondStarted);
        pool.Schedule(first);
        pool.Schedule(second);
        await Task.WhenAll(firstStarted.Task, secondStarted.Task).WaitAsync(Patience);
        release.Set();
        await Task.WhenAll(first.Done, second.Done).WaitAsync(Patience);

        // Both threads idle: the outer work's thread keeps the inner work queued for itself, then blocks on it (as a
        // caller waiting synchronously in a continuation would): the other thread, woken too, runs it.
        var inner = new Work(_ => { });
        var outer = new Work(_ =>
        {
            pool.Schedule(inner);
            Assert.True(inner.Done.Wait(Patience), "the inner work never ran");
        });
        pool.Schedule(outer);
        var outerOwned = await outer.Done.WaitAsync(Patience);
        Assert.NotSame(outerOwned, await inner.Done);
        Assert.Equal(2, made.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoWakeUpIsLost_WhenWorkArrivesAsThreadsStopSpinningAndPark(bool queueFromOwnThreads)
    {
        // Work arrives around the end of the spin window, when a thread is between its last look and blocking: a
        // wake-up lost there leaves the work waiting forever (the test then fails on its patience, it never hangs).
        using var pool = Pool(new DedicatedThreadPoolOptions
        {
            MaxThreads = 2,
            SpinBeforeWaiting = TimeSpan.FromMilliseconds(1),
            QueueWorkFromOwnThreads = queueFromOwnThreads,
        }, out _);
        var random = new Random(7);
        var ran = 0;
        for (var i = 0; i < 300; i++)
        {
            var pause = random.Next(0, 4);
            if (pause > 0)
            {
                Thread.Sleep(pause);
            }

            // Half of the work schedules a follow-up from its own pool thread, as an engine's continuation does.
            var followUp = new Work(_ => Interlocked.Increment(ref ran));
            var work = new Work(_ =>
            {
                Interlocked.Increment(ref ran);
                if (i % 2 == 0)
                {
                    pool.Schedule(followUp);
                }
            });
            pool.Schedule(work);
            await work.Done.WaitAsync(Patience);
            if (i % 2 == 0)
            {
                await followUp.Done.WaitAsync(Patience);
            }
        }

        Assert.Equal(450, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task WorkBeyondTheQueueBound_IsRefusedWithConcurrencyLimit()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1, MaxQueued = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var running = await HoldAsync(pool, release);
        var queued = new Work(_ => { });
        pool.Schedule(queued);

        var refused = Assert.Throws<ScriptHarnessException>(() => pool.Schedule(new Work(_ => { })));
        Assert.Equal(ScriptErrorCode.ConcurrencyLimit, refused.Error.Code);
        Assert.Equal("too many scripts are waiting for an engine thread (at most 1)", refused.Error.Message);
        release.Set();
        await Task.WhenAll(running.Done, queued.Done).WaitAsync(Patience);
    }

    [Fact]
    public async Task WorkScheduledTwice_IsRefused()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        var work = new Work(_ => { });
        pool.Schedule(work);
        var refused = Assert.Throws<InvalidOperationException>(() => pool.Schedule(work));
        Assert.Equal("a work item runs once: it was already scheduled", refused.Message);
        await work.Done.WaitAsync(Patience);
    }

    [Fact]
    public async Task IdleSteps_RunOnTheOwnedObjectsThread_WhileNoWorkWaits()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        var work = new Work(owned => owned.IdleSteps = 3);
        pool.Schedule(work);
        var owned = await work.Done.WaitAsync(Patience);

        Assert.True(await Eventually(() => owned.IdleStepsRun == 3), $"idle steps run: {owned.IdleStepsRun}");
        Assert.Equal([owned.ThreadId], owned.IdleStepThreads.Distinct());
    }

    [Fact]
    public async Task IdleThreads_End_AndLaterWorkGetsANewThread()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2, IdleTimeout = TimeSpan.FromMilliseconds(50), KeepLastThread = false }, out var made);
        var first = new Work(_ => { });
        pool.Schedule(first);
        var owned = await first.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => pool.ThreadCount == 0), $"threads after idling: {pool.ThreadCount}");
        Assert.Equal(owned.ThreadId, owned.DisposedOnThread);

        var second = new Work(_ => { });
        pool.Schedule(second);
        await second.Done.WaitAsync(Patience);
        Assert.Equal(2, made.Count);
    }

    [Fact]
    public async Task EachDepth_HasItsOwnThreads_WhileShallowerOnesAreAllBusy()
    {
        var options = new DedicatedThreadPoolOptions { MaxThreads = 1 };
        var levels = new NestingDepthPools<DedicatedThreadPool<Owned>>(Pool(options, out _), () => Pool(options, out _));
        using var release = new ManualResetEventSlim();
        var busy = Blocking(release, out var started);
        levels.For(0).Schedule(busy);
        await started.Task.WaitAsync(Patience);

        // The only depth-0 thread is taken (as by a script waiting for its tool): deeper scripts still run.
        foreach (var depth in new[] { 1, ScriptContext.MaxNestingDepth + 5 })
        {
            var nested = new Work(_ => { });
            levels.For(depth).Schedule(nested);
            await nested.Done.WaitAsync(Patience);
        }

        release.Set();
        await busy.Done.WaitAsync(Patience);
        foreach (var pool in levels.Made)
        {
            pool.Dispose();
        }
    }

    [Fact]
    public void InvalidOptions_AreRefusedWithEveryProblemAtOnce()
    {
        var options = new DedicatedThreadPoolOptions
        {
            MaxThreads = 0, StackBytes = 1024, ThreadName = " ", IdleTimeout = TimeSpan.Zero,
            SpinBeforeWaiting = TimeSpan.FromSeconds(1), MaxQueued = -1,
        };
        var error = Assert.Throws<ConfigurationException>(() => new DedicatedThreadPool<Owned>(options, () => new Owned()));
        Assert.Equal(6, error.Problems.Count);
    }

    private static DedicatedThreadPool<Owned> Pool(DedicatedThreadPoolOptions options, out ConcurrentQueue<Owned> made)
    {
        var all = made = new ConcurrentQueue<Owned>();
        return new DedicatedThreadPool<Owned>(options with { StackBytes = 256 * 1024 }, () =>
        {
            var owned = new Owned();
            all.Enqueue(owned);
            return owned;
        });
    }

    /// <summary>A work that runs <paramref name="first"/> on what its thread owns, signals it started, then holds its thread until released.</summary>
    private static Work Blocking(ManualResetEventSlim release, out TaskCompletionSource started, Action<Owned>? first = null)
    {
        var signal = started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new Work(owned =>
        {
            first?.Invoke(owned);
            signal.SetResult();
            release.Wait(Patience);
        });
    }

    /// <summary>Schedules a <see cref="Blocking"/> work on <paramref name="pool"/> and returns it once it holds its thread.</summary>
    private static async Task<Work> HoldAsync(DedicatedThreadPool<Owned> pool, ManualResetEventSlim release, Action<Owned>? first = null)
    {
        var work = Blocking(release, out var started, first);
        pool.Schedule(work);
        await started.Task.WaitAsync(Patience);
        return work;
    }

    /// <summary>Polls <paramref name="condition"/> for up to 10 s: a thread ending has no completion to await.</summary>
    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }

    /// <summary>What a test thread owns: where it was made and disposed, and whether it asks to be retired.</summary>
    private sealed class Owned : IDedicatedThreadOwned, IDisposable
    {
        private int _disposedOnThread;
        private int _readiness;
        private bool _disposeFinished;

        public int ThreadId { get; } = Environment.CurrentManagedThreadId;

        public int DisposedOnThread => Volatile.Read(ref _disposedOnThread);

        public bool Retire { get; set; }

        public int IdleSteps { get; set; }

        public int IdleStepsRun => IdleStepThreads.Count;

        public ConcurrentQueue<int> IdleStepThreads { get; } = new();

        // Read by the pool from other threads while the test sets it.
        public OwnedReadiness Readiness
        {
            get => (OwnedReadiness)Volatile.Read(ref _readiness);
            set => Volatile.Write(ref _readiness, (int)value);
        }

        public bool MustRetire => Retire;

        public bool HasIdleWork => IdleStepThreads.Count < IdleSteps;

        /// <summary>The idle steps throw (after recording that they ran).</summary>
        public bool IdleStepThrows { get; set; }

        /// <summary>An idle step asks for the owned object to be retired (as a runtime past its use count would).</summary>
        public bool RetireAfterIdleStep { get; set; }

        /// <summary>Disposing throws (after recording where it ran).</summary>
        public bool DisposeThrows { get; set; }

        /// <summary>When set, an idle step holds its thread until the gate opens (as a long preparation would).</summary>
        public ManualResetEventSlim? IdleStepGate { get; set; }

        public void RunIdleStep()
        {
            IdleStepThreads.Enqueue(Environment.CurrentManagedThreadId);
            IdleStepGate?.Wait(Patience);
            Retire |= RetireAfterIdleStep;
            if (IdleStepThrows)
            {
                throw new InvalidOperationException("idle step failed");
            }
        }

        /// <summary>When set, disposing holds its thread until the gate opens (as a V8 runtime's teardown would).</summary>
        public ManualResetEventSlim? DisposeGate { get; set; }

        public bool DisposeFinished => Volatile.Read(ref _disposeFinished);

        public void Dispose()
        {
            Volatile.Write(ref _disposedOnThread, Environment.CurrentManagedThreadId);
            DisposeGate?.Wait(Patience);
            Volatile.Write(ref _disposeFinished, true);
            if (DisposeThrows)
            {
                throw new InvalidOperationException("dispose failed");
            }
        }
    }

    /// <summary>Test work: runs <c>body</c>, then completes with the owned object it ran on, or with the error it failed with.</summary>
    private sealed class Work(Action<Owned> body) : DedicatedThreadWork<Owned>
    {
        private readonly TaskCompletionSource<Owned> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Owned> Done => _done.Task;

        protected internal override void Run(Owned owned)
        {
            body(owned);
            _done.TrySetResult(owned);
        }

        protected internal override void Fail(ScriptHarnessException error) => _done.TrySetException(error);
    }
}
