using System.Text.Json.Nodes;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools;

/// <summary>
/// The threads that start blocking tools' handlers, on their own: reuse, growth when every thread is busy, results and
/// errors however the handler ends, the caller's execution context, the idle timeout and disposal.
/// </summary>
public sealed class ToolThreadsTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static readonly ToolCallContext Call = new("call-1", "x.tool", ToolTestExtensions.Script());

    [Fact]
    public async Task Run_ASynchronousHandler_RunsOnANamedBackgroundThreadAndDeliversItsResult()
    {
        using var threads = new ToolThreads();
        var caller = Environment.CurrentManagedThreadId;
        var seen = await threads.Run(
            (arguments, call, _) => ValueTask.FromResult<JsonNode?>(new JsonObject
            {
                ["thread"] = Environment.CurrentManagedThreadId,
                ["name"] = Thread.CurrentThread.Name,
                ["background"] = Thread.CurrentThread.IsBackground,
                ["argument"] = arguments!["a"]!.GetValue<int>(),
                ["call"] = call.CallId,
            }),
            new JsonObject { ["a"] = 7 },
            Call,
            CancellationToken.None).WaitAsync(Generous);

        Assert.NotEqual(caller, seen!["thread"]!.GetValue<int>());
        Assert.Equal("ScriptHarness tool", seen["name"]!.GetValue<string>());
        Assert.True(seen["background"]!.GetValue<bool>());
        Assert.Equal(7, seen["argument"]!.GetValue<int>());
        Assert.Equal("call-1", seen["call"]!.GetValue<string>());
        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public async Task Run_OneAfterAnother_ReusesTheSameThread()
    {
        using var threads = new ToolThreads();
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var id = await threads.Run(CurrentThread, null, Call, CancellationToken.None).WaitAsync(Generous);
            ids.Add(id!.GetValue<int>());
        }

        Assert.Single(ids.Distinct());
        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public async Task Run_FromTheResultsContinuation_FindsTheThreadAlreadyIdle()
    {
        // The thread goes back to the idle list before it publishes the result, so a script's next call (made from the
        // continuation, on that thread) reuses it instead of starting a second one.
        using var threads = new ToolThreads();
        using var release = new ManualResetEventSlim();
        var first = threads.Run(
            (_, _, _) =>
            {
                release.Wait(Generous);
                return ValueTask.FromResult<JsonNode?>(null);
            },
            null,
            Call,
            CancellationToken.None);
        var second = first.ContinueWith(
            _ => threads.Run(CurrentThread, null, Call, CancellationToken.None),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
        release.Set();

        await second.WaitAsync(Generous);
        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public async Task Run_WhileEveryThreadIsBusy_StartsAnotherAndDoesNotWait()
    {
        using var threads = new ToolThreads();
        using var release = new ManualResetEventSlim();
        using var started = new CountdownEvent(2);
        ToolHandler blocking = (_, _, _) =>
        {
            started.Signal();
            release.Wait(Generous);
            return ValueTask.FromResult<JsonNode?>(JsonValue.Create(Environment.CurrentManagedThreadId));
        };
        try
        {
            var one = threads.Run(blocking, null, Call, CancellationToken.None);
            var two = threads.Run(blocking, null, Call, CancellationToken.None);
            Assert.True(started.Wait(Generous), "the second handler waited for the first");
            Assert.Equal(2, threads.Count);
            Assert.False(one.IsCompleted);
            Assert.False(two.IsCompleted);

            release.Set();
            var ids = await Task.WhenAll(one, two).WaitAsync(Generous);
            Assert.NotEqual(ids[0]!.GetValue<int>(), ids[1]!.GetValue<int>());

            // Both idle now: the next calls reuse them, the most recently idle first.
            var third = await threads.Run(CurrentThread, null, Call, CancellationToken.None).WaitAsync(Generous);
            Assert.Contains(third!.GetValue<int>(), ids.Select(id => id!.GetValue<int>()));
            Assert.Equal(2, threads.Count);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Run_AHandlerThatThrowsBeforeReturning_FaultsTheTask()
    {
        using var threads = new ToolThreads();
        var thrown = ToolException.Validation("refused");
        var task = threads.Run((_, _, _) => throw thrown, null, Call, CancellationToken.None);

        Assert.Same(thrown, await Assert.ThrowsAsync<ToolException>(() => task.WaitAsync(Generous)));

        // The thread survives its handler's exception and serves the next call.
        Assert.NotNull(await threads.Run(CurrentThread, null, Call, CancellationToken.None).WaitAsync(Generous));
        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public async Task Run_AHandlerReturningAFaultedValueTask_FaultsTheTask()
    {
        using var threads = new ToolThreads();
        var task = threads.Run(
            (_, _, _) => ValueTask.FromException<JsonNode?>(new InvalidOperationException("synchronously faulted")),
            null,
            Call,
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Generous));
        Assert.Equal("synchronously faulted", error.Message);
    }

    [Fact]
    public async Task Run_AnAsynchronousHandler_FreesTheThreadAtItsFirstAwaitAndCompletesLater()
    {
        using var threads = new ToolThreads();
        var later = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedOn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = threads.Run(
            async (_, _, _) =>
            {
                startedOn.SetResult(Environment.CurrentManagedThreadId);
                return await later.Task;
            },
            null,
            Call,
            CancellationToken.None);
        var handlerThread = await startedOn.Task.WaitAsync(Generous);

        // The handler still waits, and its thread is idle again: as many blocking calls at once as there are threads
        // are all served by them. Were the handler holding its thread, one of them would start a new one. (A try can
        // also start one when it comes before the thread is back on the idle list: then the next try has one more.)
        var reused = false;
        for (var attempt = 0; attempt < 100 && !reused; attempt++)
        {
            var alive = threads.Count;
            using var release = new ManualResetEventSlim();
            using var started = new CountdownEvent(alive);
            var holding = Enumerable.Range(0, alive).Select(_ => threads.Run(
                (_, _, _) =>
                {
                    started.Signal();
                    release.Wait(Generous);
                    return ValueTask.FromResult<JsonNode?>(null);
                },
                null,
                Call,
                CancellationToken.None)).ToArray();
            Assert.True(started.Wait(Generous));
            reused = threads.Count == alive;
            release.Set();
            await Task.WhenAll(holding).WaitAsync(Generous);
            if (!reused)
            {
                await Task.Delay(10);
            }
        }

        Assert.True(reused, "the asynchronous handler held its thread while it waited");
        Assert.False(pending.IsCompleted);

        later.SetResult(JsonValue.Create("done"));
        Assert.Equal("done", (await pending.WaitAsync(Generous))!.GetValue<string>());
    }

    [Fact]
    public async Task Run_AnAsynchronousHandlerThatFailsLater_FaultsTheTask()
    {
        using var threads = new ToolThreads();
        var failLater = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = threads.Run((_, _, _) => new ValueTask<JsonNode?>(failLater.Task), null, Call, CancellationToken.None);
        await Task.Delay(20);
        Assert.False(failing.IsCompleted);

        failLater.SetException(new TimeoutException("late failure"));
        Assert.Equal("late failure", (await Assert.ThrowsAsync<TimeoutException>(() => failing.WaitAsync(Generous))).Message);
    }

    [Fact]
    public async Task Run_FlowsTheCallersExecutionContext_UnlessFlowIsSuppressed()
    {
        using var threads = new ToolThreads();
        var local = new AsyncLocal<string> { Value = "first" };
        ToolHandler read = (_, _, _) => ValueTask.FromResult<JsonNode?>(JsonValue.Create(local.Value ?? "none"));
        Assert.Equal("first", (await threads.Run(read, null, Call, CancellationToken.None).WaitAsync(Generous))!.GetValue<string>());

        // The same (reused) thread now sees the caller's new value, with the caller's context flowing…
        local.Value = "second";
        Assert.Equal("second", (await threads.Run(read, null, Call, CancellationToken.None).WaitAsync(Generous))!.GetValue<string>());

        // …and without it, not: the handler runs in the thread's own context.
        Task<JsonNode?> unflowed;
        using (ExecutionContext.SuppressFlow())
        {
            unflowed = threads.Run(read, null, Call, CancellationToken.None);
        }

        Assert.NotEqual("second", (await unflowed.WaitAsync(Generous))!.GetValue<string>());
        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public async Task Run_PassesTheCancellationTokenToTheHandler()
    {
        using var threads = new ToolThreads();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var seen = await threads.Run(
            (_, _, token) => ValueTask.FromResult<JsonNode?>(JsonValue.Create(token.IsCancellationRequested)),
            null,
            Call,
            cancellation.Token).WaitAsync(Generous);

        Assert.True(seen!.GetValue<bool>());
    }

    [Fact]
    public async Task AnIdleThread_EndsAfterTheIdleTimeout_AndTheNextCallStartsAnother()
    {
        using var threads = new ToolThreads(TimeSpan.FromMilliseconds(50));
        var thread = await RunCapturingThreadAsync(threads);

        Assert.True(await CountReachesAsync(threads, 0), "the idle thread was never counted out");
        Assert.True(thread.Join(Generous), "the idle thread was counted out but kept running");

        Assert.NotNull(await threads.Run(CurrentThread, null, Call, CancellationToken.None).WaitAsync(Generous));
        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public async Task ABusyThread_DoesNotEndAtTheIdleTimeout()
    {
        using var threads = new ToolThreads(TimeSpan.FromMilliseconds(20));
        using var release = new ManualResetEventSlim();
        var busy = threads.Run(
            (_, _, _) =>
            {
                release.Wait(Generous);
                return ValueTask.FromResult<JsonNode?>(JsonValue.Create(1));
            },
            null,
            Call,
            CancellationToken.None);
        try
        {
            await Task.Delay(200);
            Assert.Equal(1, threads.Count);
            Assert.False(busy.IsCompleted);
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(1, (await busy.WaitAsync(Generous))!.GetValue<int>());
    }

    [Fact]
    public async Task Dispose_EndsIdleThreadsNow_AndRefusesNewWork()
    {
        var threads = new ToolThreads();
        var thread = await RunCapturingThreadAsync(threads);
        Assert.Equal(1, threads.Count);

        threads.Dispose();

        // An idle thread that was not told to end would wait out its 30-second timeout.
        Assert.Equal(0, threads.Count);
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "the idle thread did not end on Dispose");
        Assert.Throws<ObjectDisposedException>(() => { _ = threads.Run(CurrentThread, null, Call, CancellationToken.None); });
    }

    [Fact]
    public async Task Dispose_LetsABusyHandlerFinishAndPublish_ThenItsThreadEnds()
    {
        var threads = new ToolThreads();
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        Thread? thread = null;
        var busy = threads.Run(
            (_, _, _) =>
            {
                thread = Thread.CurrentThread;
                started.Set();
                release.Wait(Generous);
                return ValueTask.FromResult<JsonNode?>(JsonValue.Create("finished"));
            },
            null,
            Call,
            CancellationToken.None);
        Assert.True(started.Wait(Generous));

        threads.Dispose();
        Assert.Equal(1, threads.Count);
        release.Set();

        Assert.Equal("finished", (await busy.WaitAsync(Generous))!.GetValue<string>());
        Assert.True(await CountReachesAsync(threads, 0), "the busy thread was not counted out after its handler");
        Assert.True(thread!.Join(TimeSpan.FromSeconds(10)), "the busy thread went back to waiting for work after Dispose");
    }

    private static ValueTask<JsonNode?> CurrentThread(JsonNode? arguments, ToolCallContext call, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JsonNode?>(JsonValue.Create(Environment.CurrentManagedThreadId));

    private static async Task<Thread> RunCapturingThreadAsync(ToolThreads threads)
    {
        Thread? thread = null;
        await threads.Run(
            (_, _, _) =>
            {
                thread = Thread.CurrentThread;
                return ValueTask.FromResult<JsonNode?>(null);
            },
            null,
            Call,
            CancellationToken.None).WaitAsync(Generous);
        return thread!;
    }

    private static async Task<bool> CountReachesAsync(ToolThreads threads, int expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Generous);
        while (threads.Count != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
