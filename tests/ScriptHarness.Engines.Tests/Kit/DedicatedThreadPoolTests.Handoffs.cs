using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// Work handed to a thread that is not looking (in an idle step, still making what it owns), work a pool thread
/// schedules for itself, and what disposal and a thread that cannot start leave behind: nothing runs after it failed,
/// nothing waits forever.
/// </summary>
public sealed partial class DedicatedThreadPoolTests
{
    [Fact]
    public void NullArguments_AreRefused()
    {
        var options = new DedicatedThreadPoolOptions();
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new DedicatedThreadPool<Owned>(null!, () => new Owned())).ParamName);
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => new DedicatedThreadPool<Owned>(options, null!)).ParamName);
        using var pool = new DedicatedThreadPool<Owned>(options, () => new Owned());
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.Schedule(null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.WriteOff(null!)).ParamName);
        Assert.Equal(0, pool.ThreadCount);
    }

    [Fact]
    public async Task Threads_AreNamedAndInTheBackground_AsConfigured()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1, ThreadName = "test-engine" }, out _);
        string? name = null;
        var background = false;
        var work = new Work(_ =>
        {
            name = Thread.CurrentThread.Name;
            background = Thread.CurrentThread.IsBackground;
        });
        pool.Schedule(work);
        await work.Done.WaitAsync(Patience);

        Assert.Equal("test-engine", name);
        Assert.True(background, "an engine thread must not keep the process alive");
    }

    [Fact]
    public async Task WorkArrivingWhileEveryThreadIsStillStarting_AddsAThread()
    {
        using var creating = new ManualResetEventSlim();
        using var pool = new DedicatedThreadPool<Owned>(new DedicatedThreadPoolOptions { MaxThreads = 2 }, () =>
        {
            creating.Wait(Patience);
            return new Owned();
        });
        var first = new Work(_ => { });
        var second = new Work(_ => { });
        pool.Schedule(first);

        // The first work still waits in the queue (its thread is making what it owns): the second adds a thread.
        pool.Schedule(second);
        Assert.Equal(2, pool.ThreadCount);
        creating.Set();
        await Task.WhenAll(first.Done, second.Done).WaitAsync(Patience);
    }

    [Fact]
    public async Task AThreadStillMakingWhatItOwns_IsNotReady_SoAThreadIsAddedBeside_It()
    {
        var attempts = 0;
        using var creating = new ManualResetEventSlim();
        using var pool = new DedicatedThreadPool<Owned>(new DedicatedThreadPoolOptions { MaxThreads = 3 }, () =>
        {
            if (Interlocked.Increment(ref attempts) > 1)
            {
                creating.Wait(Patience);
            }

            return new Owned();
        });
        var first = new Work(owned => owned.IdleSteps = 1);
        pool.Schedule(first);
        var owned = await first.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => owned.IdleStepsRun == 1), "the thread never went idle");

        // The only thread is idle but not ready: it takes the work, and a second thread starts for what comes next.
        owned.Readiness = OwnedReadiness.NotReady;
        using var release = new ManualResetEventSlim();
        var busy = await HoldAsync(pool, release);
        Assert.Equal(2, pool.ThreadCount);

        // The second thread is idle and still making what it owns: not ready either, so a third one starts.
        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.Equal(3, pool.ThreadCount);

        creating.Set();
        release.Set();
        await Task.WhenAll(busy.Done, next.Done).WaitAsync(Patience);
    }

    [Fact]
    public async Task WorkAPoolThreadSchedules_WhileAnotherThreadIsBusyInAnIdleStep_RunsOnTheSchedulingThread()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2, QueueWorkFromOwnThreads = true }, out _);
        using var gate = new ManualResetEventSlim();
        try
        {
            var (preparing, scheduling) = await PreparingAndIdle(pool, gate);

            // The outer work goes to the ready thread; its inner work is queued for that thread (the other, woken
            // too, is busy preparing), which takes it as soon as the outer work is done.
            var inner = new Work(_ => { });
            var outer = new Work(_ => pool.Schedule(inner));
            pool.Schedule(outer);
            Assert.Same(scheduling, await outer.Done.WaitAsync(Patience));
            Assert.Same(scheduling, await inner.Done.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, preparing.DisposedOnThread);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task Dispose_FailsWorkHandedToAThreadBusyInAnIdleStep()
    {
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var gate = new ManualResetEventSlim();
        var first = new Work(owned =>
        {
            owned.IdleSteps = 1;
            owned.IdleStepGate = gate;
        });
        pool.Schedule(first);
        var owned = await first.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => owned.IdleStepsRun == 1), "the idle step never started");

        var ran = false;
        var handed = new Work(_ => ran = true);
        pool.Schedule(handed);
        var disposing = Task.Run(pool.Dispose);
        var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => handed.Done.WaitAsync(Patience));
        Assert.Equal(ScriptErrorCode.Cancelled, error.Error.Code);

        // Disposal waits for the thread, which finishes its idle step and ends without running the failed work.
        Assert.False(disposing.IsCompleted);
        gate.Set();
        await disposing.WaitAsync(Patience);
        Assert.Equal(owned.ThreadId, owned.DisposedOnThread);
        Assert.False(ran);
    }

    [Fact]
    public async Task Dispose_NeverRunsTheWorkItFailed()
    {
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var running = await HoldAsync(pool, release);
        var ran = 0;
        var queued = new[] { new Work(_ => Interlocked.Increment(ref ran)), new Work(_ => Interlocked.Increment(ref ran)) };
        foreach (var work in queued)
        {
            pool.Schedule(work);
        }

        var disposing = Task.Run(pool.Dispose);
        foreach (var work in queued)
        {
            await Assert.ThrowsAsync<ScriptHarnessException>(() => work.Done.WaitAsync(Patience));
        }

        release.Set();
        await disposing.WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task Dispose_DoesNotWaitForAWrittenOffThread()
    {
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var stuck = await HoldAsync(pool, release);
        pool.WriteOff(stuck);

        try
        {
            await Task.Run(pool.Dispose).WaitAsync(Patience);
            Assert.False(stuck.Done.IsCompleted);
        }
        finally
        {
            release.Set();
        }

        var owned = await stuck.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => owned.DisposedOnThread != 0), "the written-off thread never ended");
    }

    [Fact]
    public async Task WorkFailedBecauseNoThreadCouldStart_NeverRunsLater()
    {
        var attempts = 0;
        using var creating = new ManualResetEventSlim();
        using var pool = new DedicatedThreadPool<Owned>(new DedicatedThreadPoolOptions { MaxThreads = 1 }, () =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                creating.Wait(Patience);
                throw new InvalidOperationException("no runtime today");
            }

            return new Owned();
        });
        var ran = 0;
        var failed = new[] { new Work(_ => Interlocked.Increment(ref ran)), new Work(_ => Interlocked.Increment(ref ran)) };
        foreach (var work in failed)
        {
            pool.Schedule(work);
        }

        creating.Set();
        foreach (var work in failed)
        {
            await Assert.ThrowsAsync<ScriptHarnessException>(() => work.Done.WaitAsync(Patience));
        }

        var later = new Work(_ => { });
        pool.Schedule(later);
        await later.Done.WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref ran));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task AThreadThatSpinsBeforeParking_StillLeavesAfterItsIdleTimeout()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions
        {
            MaxThreads = 1,
            SpinBeforeWaiting = TimeSpan.FromMilliseconds(1),
            IdleTimeout = TimeSpan.FromMilliseconds(20),
            KeepLastThread = false,
        }, out _);
        var work = new Work(_ => { });
        pool.Schedule(work);
        var owned = await work.Done.WaitAsync(Patience);

        Assert.True(await Eventually(() => pool.ThreadCount == 0), $"threads: {pool.ThreadCount}");
        Assert.Equal(owned.ThreadId, owned.DisposedOnThread);
    }

    /// <summary>
    /// Two idle threads: one busy in an idle step held by <paramref name="gate"/> and saying it will be ready soon (as an
    /// engine preparing its next runtime does), the other parked and ready.
    /// </summary>
    private static async Task<(Owned Preparing, Owned Parked)> PreparingAndIdle(DedicatedThreadPool<Owned> pool, ManualResetEventSlim gate)
    {
        var (older, newer) = await TwoIdleThreads(pool);

        // Work goes to the most recently used idle thread: the newer one is held by a blocking work first, so the work
        // that wakes the older one for its idle step goes to it.
        using var release = new ManualResetEventSlim();
        var holdNewer = Blocking(release, out var started, owned => owned.IdleSteps = 2); // its second idle step shows it idle again
        pool.Schedule(holdNewer);
        await started.Task.WaitAsync(Patience);
        older.IdleStepGate = gate;
        older.IdleSteps = 2;
        var wakeOlder = new Work(_ => { });
        pool.Schedule(wakeOlder);
        Assert.Same(older, await wakeOlder.Done.WaitAsync(Patience));
        Assert.True(await Eventually(() => older.IdleStepsRun == 2), "the older thread never started its idle step");
        older.Readiness = OwnedReadiness.ReadySoon;
        release.Set();
        Assert.Same(newer, await holdNewer.Done.WaitAsync(Patience));
        Assert.True(await Eventually(() => newer.IdleStepsRun == 2), "the newer thread never went idle");
        return (older, newer);
    }
}
