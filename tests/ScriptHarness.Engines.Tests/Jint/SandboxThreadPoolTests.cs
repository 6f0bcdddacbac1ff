using ScriptHarness.Context;
using ScriptHarness.Engines.Jint;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>The sandbox threads: bounded per nesting depth, and the threads of a pool with an idle period end and come back.</summary>
public sealed class SandboxThreadPoolTests
{
    [Fact]
    public async Task IdleThreads_End_AndWorkAfterwardsGetsANewThread()
    {
        var pool = new SandboxThreadPool(2, 1024 * 1024, TimeSpan.FromMilliseconds(50));
        await RunOn(pool);
        Assert.True(await Eventually(() => pool.ThreadCount == 0), $"threads after idling: {pool.ThreadCount}");

        await RunOn(pool);
        Assert.InRange(pool.ThreadCount, 0, 2);
    }

    [Fact]
    public async Task EachDepth_HasItsOwnThreads_WhileShallowerOnesAreAllBusy()
    {
        var levels = new SandboxThreadLevels(1, 1024 * 1024);
        using var release = new ManualResetEventSlim();
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        levels.For(0).Schedule(() =>
        {
            busy.SetResult();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        await busy.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The only depth-0 thread is taken (as by a script waiting for its tool): deeper scripts still run.
        await RunOn(levels.For(1)).WaitAsync(TimeSpan.FromSeconds(30));
        await RunOn(levels.For(ScriptContext.MaxNestingDepth + 5)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(levels.For(ScriptContext.MaxNestingDepth), levels.For(ScriptContext.MaxNestingDepth + 5));
        release.Set();
    }

    private static Task RunOn(SandboxThreadPool pool)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.Schedule(() => done.SetResult());
        return done.Task;
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }
}
