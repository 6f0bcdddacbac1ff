using ScriptHarness.Engines;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// The pool's choices at their edges: which idle thread takes work, when a thread is added, how written-off and
/// leaving threads are replaced, and what happens when what a thread owns, its idle step or a work's failure throws.
/// </summary>
public sealed partial class DedicatedThreadPoolTests
{
    [Fact]
    public async Task WorkGoesToTheMostRecentlyUsedIdleThread_AmongEquallyReadyOnes()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2 }, out var made);
        var (older, newer) = await TwoIdleThreads(pool);

        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.Same(newer, await next.Done.WaitAsync(Patience));
        Assert.NotSame(older, newer);
        Assert.Equal(2, made.Count);
    }

    [Fact]
    public async Task WorkGoesToTheMostRecentlyUsedIdleThread_WhereverItStandsAmongTheThreads()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2 }, out _);
        var (older, newer) = await TwoIdleThreads(pool);

        // The newer thread is held while the older one runs a work: the older (first started) is now the most recent.
        using var release = new ManualResetEventSlim();
        var hold = Blocking(release, out var started, owned => owned.IdleSteps = 2);
        pool.Schedule(hold);
        await started.Task.WaitAsync(Patience);
        var touch = new Work(owned => owned.IdleSteps = 2);
        pool.Schedule(touch);
        Assert.Same(older, await touch.Done.WaitAsync(Patience));
        release.Set();
        Assert.Same(newer, await hold.Done.WaitAsync(Patience));
        Assert.True(await Eventually(() => older.IdleStepsRun == 2 && newer.IdleStepsRun == 2), "the threads never went idle");

        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.Same(older, await next.Done.WaitAsync(Patience));
    }

    [Fact]
    public async Task WorkGoesToTheReadiestIdleThread_BeforeTheMostRecentlyUsedOne()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2 }, out _);
        var (older, newer) = await TwoIdleThreads(pool);
        newer.Readiness = OwnedReadiness.ReadySoon;

        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.Same(older, await next.Done.WaitAsync(Patience));
    }

    [Fact]
    public async Task AReadyIdleThread_TakesWorkWithoutAThreadBeingAdded()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 3 }, out var made);
        for (var i = 0; i < 3; i++)
        {
            var work = new Work(owned => owned.IdleSteps = i + 1);
            pool.Schedule(work);
            var owned = await work.Done.WaitAsync(Patience);

            // Its idle step runs only once the thread is idle again: the next work finds it idle.
            Assert.True(await Eventually(() => owned.IdleStepsRun == i + 1), $"idle steps run: {owned.IdleStepsRun}");
        }

        Assert.Single(made);
        Assert.Equal(1, pool.ThreadCount);
    }

    [Theory]
    [InlineData(OwnedReadiness.ReadySoon)]
    [InlineData(OwnedReadiness.NotReady)]
    public async Task AnIdleThreadNotReady_StillTakesTheWork_AndAThreadIsAddedForWhatComesNext(OwnedReadiness readiness)
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 3 }, out var made);
        var first = new Work(owned => owned.IdleSteps = 1);
        pool.Schedule(first);
        var owned = await first.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => owned.IdleStepsRun == 1), "the thread never went idle");
        owned.Readiness = readiness;

        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.Same(owned, await next.Done.WaitAsync(Patience));
        Assert.True(await Eventually(() => made.Count == 2), $"owned objects made: {made.Count}");
        Assert.Equal(2, pool.ThreadCount);
    }

    [Fact]
    public async Task ThreadsAreAddedUpToMaxThreads_ThenWorkWaits()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2 }, out var made);
        using var release = new ManualResetEventSlim();
        var first = Blocking(release, out var firstStarted);
        var second = Blocking(release, out var secondStarted);
        var third = Blocking(release, out var thirdStarted);
        pool.Schedule(first);
        pool.Schedule(second);
        pool.Schedule(third);
        await Task.WhenAll(firstStarted.Task, secondStarted.Task).WaitAsync(Patience);

        Assert.Equal(2, pool.ThreadCount);
        Assert.False(thirdStarted.Task.IsCompleted);
        release.Set();
        await Task.WhenAll(first.Done, second.Done, third.Done).WaitAsync(Patience);
        Assert.Equal(2, made.Count);
    }

    [Fact]
    public async Task WritingOffWorkThatIsNotRunning_ChangesNothing()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var running = await HoldAsync(pool, release);

        // Neither a work never scheduled nor one still queued frees the only thread's place.
        pool.WriteOff(new Work(_ => { }));
        var queued = new Work(_ => { });
        pool.Schedule(queued);
        pool.WriteOff(queued);
        Assert.Equal(1, pool.ThreadCount);
        Assert.False(queued.Done.IsCompleted);

        release.Set();
        await Task.WhenAll(running.Done, queued.Done).WaitAsync(Patience);
        Assert.Equal(1, pool.ThreadCount);
    }

    [Fact]
    public async Task WritingOffTheSameThreadTwice_FreesOnePlace()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var stuck = Blocking(release, out var stuckStarted);
        pool.Schedule(stuck);
        await stuckStarted.Task.WaitAsync(Patience);
        pool.WriteOff(stuck);
        pool.WriteOff(stuck);

        // Nothing waits: writing off adds no thread by itself.
        Assert.Equal(1, pool.ThreadCount);

        var second = Blocking(release, out var secondStarted);
        var third = new Work(_ => { });
        pool.Schedule(second);
        await secondStarted.Task.WaitAsync(Patience);
        pool.Schedule(third);

        Assert.Equal(2, pool.ThreadCount);
        Assert.False(third.Done.IsCompleted);
        release.Set();
        await Task.WhenAll(stuck.Done, second.Done, third.Done).WaitAsync(Patience);
    }

    [Fact]
    public async Task WritingOffTheOnlyThread_StartsOneForTheWorkAlreadyQueued()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var stuck = await HoldAsync(pool, release);
        var queued = new Work(_ => { });
        pool.Schedule(queued);

        pool.WriteOff(stuck);
        var owned = await queued.Done.WaitAsync(Patience);
        Assert.False(stuck.Done.IsCompleted);
        Assert.Equal(2, pool.ThreadCount);

        release.Set();
        Assert.NotSame(owned, await stuck.Done.WaitAsync(Patience));
    }

    [Fact]
    public async Task AWrittenOffThreadComingBack_LeavesWithoutTakingQueuedWork()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var releaseStuck = new ManualResetEventSlim();
        using var releaseOther = new ManualResetEventSlim();
        var stuck = Blocking(releaseStuck, out var stuckStarted);
        pool.Schedule(stuck);
        await stuckStarted.Task.WaitAsync(Patience);
        pool.WriteOff(stuck);
        var other = Blocking(releaseOther, out var otherStarted);
        pool.Schedule(other);
        await otherStarted.Task.WaitAsync(Patience);
        var queued = new Work(_ => { });
        pool.Schedule(queued);

        releaseStuck.Set();
        var stuckOwned = await stuck.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => stuckOwned.DisposedOnThread != 0), "the written-off thread never left");
        Assert.Equal(1, pool.ThreadCount);
        Assert.False(queued.Done.IsCompleted);

        releaseOther.Set();
        Assert.Same(await other.Done.WaitAsync(Patience), await queued.Done.WaitAsync(Patience));
    }

    [Fact]
    public async Task AThreadRetiringWithWorkQueued_IsReplacedAtOnce()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        using var release = new ManualResetEventSlim();
        var retiring = Blocking(release, out _, owned => owned.Retire = true);
        pool.Schedule(retiring);
        var queued = new Work(_ => { });
        pool.Schedule(queued);

        release.Set();
        var retired = await retiring.Done.WaitAsync(Patience);
        var replacement = await queued.Done.WaitAsync(Patience);
        Assert.NotSame(retired, replacement);
        Assert.Equal(2, made.Count);
    }

    [Fact]
    public async Task AnIdleStepThatThrows_RetiresItsThread_AndTheNextWorkGetsANewOne()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        var first = new Work(owned =>
        {
            owned.IdleSteps = 1;
            owned.IdleStepThrows = true;
        });
        pool.Schedule(first);
        await RetiredAndReplaced(pool, await first.Done.WaitAsync(Patience), made);
    }

    [Fact]
    public async Task AnOwnedObjectAskingToRetireAfterItsIdleStep_TakesItsThreadWithIt()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        var work = new Work(owned =>
        {
            owned.IdleSteps = 1;
            owned.RetireAfterIdleStep = true;
        });
        pool.Schedule(work);
        var owned = await work.Done.WaitAsync(Patience);
        await RetiredAndReplaced(pool, owned, made);
        Assert.Equal(1, owned.IdleStepsRun);
    }

    [Fact]
    public async Task AnOwnedObjectWhoseDisposeThrows_DoesNotStopThePool()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out var made);
        var first = new Work(owned =>
        {
            owned.DisposeThrows = true;
            owned.Retire = true;
        });
        pool.Schedule(first);
        var retired = await first.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => retired.DisposedOnThread != 0), "the owned object was never disposed");

        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.NotSame(retired, await next.Done.WaitAsync(Patience));
        Assert.Equal(2, made.Count);
    }

    [Fact]
    public async Task WhenNoThreadCanMakeItsOwnedObject_EveryQueuedWorkFails()
    {
        using var creating = new ManualResetEventSlim();
        var cause = new InvalidOperationException("no runtime today");
        using var pool = new DedicatedThreadPool<Owned>(new DedicatedThreadPoolOptions { MaxThreads = 1 }, () =>
        {
            creating.Wait(Patience);
            throw cause;
        });
        var works = new[] { new Work(_ => { }), new Work(_ => { }), new Work(_ => { }) };
        foreach (var work in works)
        {
            pool.Schedule(work);
        }

        creating.Set();
        foreach (var work in works)
        {
            var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => work.Done.WaitAsync(Patience));
            Assert.Equal(ScriptErrorCode.HarnessInternal, error.Error.Code);
            Assert.Same(cause, error.InnerException);
        }

        Assert.Equal(0, pool.ThreadCount);
    }

    [Fact]
    public async Task AWrittenOffThread_DoesNotKeepQueuedWorkWaiting_WhenItsReplacementCannotStart()
    {
        var attempts = 0;
        using var creating = new ManualResetEventSlim();
        using var pool = new DedicatedThreadPool<Owned>(new DedicatedThreadPoolOptions { MaxThreads = 1 }, () =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                return new Owned();
            }

            creating.Wait(Patience);
            throw new InvalidOperationException("no runtime today");
        });
        using var release = new ManualResetEventSlim();
        var stuck = await HoldAsync(pool, release);
        pool.WriteOff(stuck);

        var queued = new[] { new Work(_ => { }), new Work(_ => { }) };
        foreach (var work in queued)
        {
            pool.Schedule(work);
        }

        creating.Set();
        foreach (var work in queued)
        {
            var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => work.Done.WaitAsync(Patience));
            Assert.Equal(ScriptErrorCode.HarnessInternal, error.Error.Code);
        }

        release.Set();
        await stuck.Done.WaitAsync(Patience);
    }

    [Fact]
    public async Task Dispose_FromWorkOnAPoolThread_ReturnsWithoutWaitingForItself_AndTwiceIsHarmless()
    {
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        var work = new Work(_ => pool.Dispose());
        pool.Schedule(work);
        var owned = await work.Done.WaitAsync(Patience);

        Assert.True(await Eventually(() => owned.DisposedOnThread != 0), "the disposing thread never ended");
        pool.Dispose();
        Assert.Equal(0, pool.ThreadCount);
    }

    [Fact]
    public async Task Dispose_GoesOnPastAWorkWhoseFailThrows()
    {
        var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 1 }, out _);
        using var release = new ManualResetEventSlim();
        var running = await HoldAsync(pool, release);
        var throwing = new FailThrowsWork();
        var queued = new Work(_ => { });
        pool.Schedule(throwing);
        pool.Schedule(queued);

        var disposing = Task.Run(pool.Dispose);
        var error = await Assert.ThrowsAsync<ScriptHarnessException>(() => queued.Done.WaitAsync(Patience));
        Assert.Equal(ScriptErrorCode.Cancelled, error.Error.Code);
        Assert.Equal(ScriptErrorCode.Cancelled, (await throwing.Failed.WaitAsync(Patience)).Error.Code);

        release.Set();
        await disposing.WaitAsync(Patience);
        await running.Done.WaitAsync(Patience);
    }

    [Fact]
    public async Task IdleThreadsLeave_ButTheLastOneIsKept()
    {
        using var pool = Pool(new DedicatedThreadPoolOptions { MaxThreads = 2, IdleTimeout = TimeSpan.FromMilliseconds(20) }, out var made);
        using var release = new ManualResetEventSlim();
        var first = Blocking(release, out var firstStarted);
        var second = Blocking(release, out var secondStarted);
        pool.Schedule(first);
        pool.Schedule(second);
        await Task.WhenAll(firstStarted.Task, secondStarted.Task).WaitAsync(Patience);
        release.Set();
        await Task.WhenAll(first.Done, second.Done).WaitAsync(Patience);

        Assert.True(await Eventually(() => made.Count(o => o.DisposedOnThread != 0) == 1), "no idle thread left");
        var kept = made.Single(o => o.DisposedOnThread == 0);

        // The kept thread outlives many idle timeouts, and takes the next work.
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, pool.ThreadCount);
        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.Same(kept, await next.Done.WaitAsync(Patience));
    }

    /// <summary>
    /// Two threads that each ran one work, the older one taken first; both idle when this returns (each ran an idle
    /// step, which a thread does only once it is idle).
    /// </summary>
    private static async Task<(Owned Older, Owned Newer)> TwoIdleThreads(DedicatedThreadPool<Owned> pool)
    {
        using var release = new ManualResetEventSlim();
        var older = Blocking(release, out var olderStarted, owned => owned.IdleSteps = 1);
        var newer = Blocking(release, out var newerStarted, owned => owned.IdleSteps = 1);
        pool.Schedule(older);
        await olderStarted.Task.WaitAsync(Patience);
        pool.Schedule(newer);
        await newerStarted.Task.WaitAsync(Patience);
        release.Set();
        var olderOwned = await older.Done.WaitAsync(Patience);
        var newerOwned = await newer.Done.WaitAsync(Patience);
        Assert.True(await Eventually(() => olderOwned.IdleStepsRun == 1 && newerOwned.IdleStepsRun == 1), "the threads never went idle");
        return (olderOwned, newerOwned);
    }

    /// <summary>
    /// <paramref name="retired"/> was disposed on its own thread, which left the pool; the next work gets a new owned
    /// object (the second made).
    /// </summary>
    private static async Task RetiredAndReplaced(DedicatedThreadPool<Owned> pool, Owned retired, IReadOnlyCollection<Owned> made)
    {
        Assert.True(await Eventually(() => retired.DisposedOnThread != 0), "the retiring owned object was never disposed");
        Assert.Equal(retired.ThreadId, retired.DisposedOnThread);
        Assert.True(await Eventually(() => pool.ThreadCount == 0), $"threads: {pool.ThreadCount}");

        var next = new Work(_ => { });
        pool.Schedule(next);
        Assert.NotSame(retired, await next.Done.WaitAsync(Patience));
        Assert.Equal(2, made.Count);
    }

    /// <summary>A work whose failure throws after recording it, as a broken engine's might.</summary>
    private sealed class FailThrowsWork : DedicatedThreadWork<Owned>
    {
        private readonly TaskCompletionSource<ScriptHarnessException> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ScriptHarnessException> Failed => _failed.Task;

        protected internal override void Run(Owned owned)
        {
        }

        protected internal override void Fail(ScriptHarnessException error)
        {
            _failed.TrySetResult(error);
            throw new InvalidOperationException("fail threw");
        }
    }
}
