using ScriptHarness.Engines;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// What the kit promises an engine author besides the run loop: one message per limit (the same text on every engine),
/// messages cut at a known length, arguments checked at the door, and a completion queue that drops what arrives after
/// it closed.
/// </summary>
public sealed class EngineKitContractTests
{
    private static readonly ScriptLimits Limits = ScriptLimits.Default with
    {
        Timeout = TimeSpan.FromMilliseconds(1500),
        RegexTimeout = TimeSpan.FromMilliseconds(250),
        MemoryBytes = 3L * 1024 * 1024,
        MaxArrayLength = 5000,
        MaxRecursionDepth = 77,
    };

    public static TheoryData<string, ScriptError, ScriptErrorCode, string> Errors => new()
    {
        { "timeout", EngineErrors.Timeout(Limits), ScriptErrorCode.Timeout, "the script ran longer than its time limit of 1500 ms" },
        { "regex", EngineErrors.RegexTimeout(Limits), ScriptErrorCode.Timeout, "a regular expression ran longer than its time limit of 250 ms" },
        {
            "regex capped by the script's limit", EngineErrors.RegexTimeout(Limits with { RegexTimeout = TimeSpan.FromSeconds(9) }), ScriptErrorCode.Timeout,
            "a regular expression ran longer than its time limit of 1500 ms"
        },
        { "never settles", EngineErrors.NeverSettles(), ScriptErrorCode.Timeout, "the script is waiting for a promise that can never settle (no tool call is pending)" },
        { "cancelled", EngineErrors.Cancelled(), ScriptErrorCode.Cancelled, "the run was cancelled" },
        { "memory", EngineErrors.MemoryLimit(Limits), ScriptErrorCode.MemoryLimit, "the script exceeded its memory limit of 3 MB" },
        { "array", EngineErrors.ArrayLength(Limits), ScriptErrorCode.MemoryLimit, "the script created an array longer than the limit of 5000 elements" },
        { "depth", EngineErrors.CallDepth(Limits), ScriptErrorCode.RecursionLimit, "the script exceeded its call depth limit of 77 frames" },
        { "stack", EngineErrors.CallStack(Limits, 1536 * 1024), ScriptErrorCode.RecursionLimit, "the script exceeded its call stack limit of 1.5 MB (call depth limit 77 frames)" },
        { "internal", EngineErrors.Internal("jint"), ScriptErrorCode.HarnessInternal, "internal error in the jint engine" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void EveryLimit_HasOneCodeAndOnePlainMessage(string limit, ScriptError error, ScriptErrorCode code, string message)
    {
        Assert.Equal(code, error.Code);
        Assert.True(message == error.Message, $"{limit}: {error.Message}");
    }

    [Fact]
    public void Messages_AreCutAtTheirLongestLength_WithAnEllipsis()
    {
        var longest = new string('m', EngineErrors.MaxMessageLength);

        Assert.Same(longest, EngineErrors.Message(longest));
        Assert.Equal(longest + "…", EngineErrors.Message(longest + "x"));
        Assert.Equal("short", EngineErrors.Message("short"));
    }

    [Fact]
    public void TheKit_ChecksItsArgumentsAtTheDoor()
    {
        Assert.Throws<ArgumentNullException>(() => EngineErrors.Timeout(null!));
        Assert.Throws<ArgumentNullException>(() => EngineErrors.RegexTimeout(null!));
        Assert.Throws<ArgumentNullException>(() => EngineErrors.MemoryLimit(null!));
        Assert.Throws<ArgumentNullException>(() => EngineErrors.ArrayLength(null!));
        Assert.Throws<ArgumentNullException>(() => EngineErrors.CallDepth(null!));
        Assert.Throws<ArgumentNullException>(() => EngineErrors.CallStack(null!, 1));
        Assert.Throws<ArgumentNullException>(() => EngineErrors.Message(null!));
        Assert.Throws<ArgumentNullException>(() => new CompiledScripts<string>(4, s => s).Get(null!));
        Assert.Throws<ArgumentNullException>(() => new NestingDepthPools<object>(null!, () => new object()));
        Assert.Throws<ArgumentNullException>(() => new NestingDepthPools<object>(new object(), null!));
        Assert.Throws<ArgumentNullException>(() => new ScriptDeadline(TimeSpan.FromSeconds(1), null!));
        Assert.Throws<ArgumentNullException>(() => ScriptSource.ReturnValue("1", null!));
    }

    [Fact]
    public void AClosedQueue_DropsLateCompletions_AndKeepsTheirCallPending()
    {
        var queue = new HostCompletionQueue<int>();
        queue.CallStarted();
        queue.Post(1);
        Assert.True(queue.TryTake(out var first));
        Assert.Equal(1, first);
        Assert.True(queue.IsIdle);

        queue.CallStarted();
        queue.Close();
        queue.Post(2);

        Assert.False(queue.TryTake(out _));
        Assert.Equal(1, queue.Pending);
    }

    [Fact]
    public void AQueuedCompletion_EndsAWaitAtOnce_WithoutASignal()
    {
        var queue = new HostCompletionQueue<int>();
        queue.CallStarted();
        queue.Post(1); // posted by the pump's own thread before it waits: no signal is released

        // Returns at once: a wait that needed the signal would block for the whole (fake-clock-free) timeout.
        Assert.True(queue.Wait(Timeout.InfiniteTimeSpan, CancellationToken.None));
        Assert.True(queue.TryTake(out var item));
        Assert.Equal(1, item);
    }

    [Fact]
    public void ADrainedQueue_WaitsForItsTimeout_AndTakesNothing()
    {
        var queue = new HostCompletionQueue<int>();
        queue.CallStarted();
        queue.CallStarted();
        queue.Post(1);
        queue.Post(2);
        Assert.True(queue.TryTake(out _));
        Assert.True(queue.TryTake(out _));

        // Nothing is left: a count that still saw the taken items would take nothing here but end every wait at once.
        Assert.False(queue.TryTake(out _));
        Assert.False(queue.Wait(TimeSpan.FromMilliseconds(20), CancellationToken.None));
        Assert.True(queue.IsIdle);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public void AWaitThatTimedOut_LeavesNoSignalForALaterPost()
    {
        var queue = new HostCompletionQueue<int>();
        queue.CallStarted();
        Assert.False(queue.Wait(TimeSpan.FromMilliseconds(1), CancellationToken.None));

        // The pump no longer waits: this post must not release the signal, or the next wait would end at once with
        // nothing queued (a spurious wake-up for every call completed while the pump ran).
        queue.Post(1);
        Assert.True(queue.TryTake(out _));
        queue.CallStarted();
        Assert.False(queue.Wait(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public void NoCompletionIsLost_WhenPostsRaceAWaitingPump()
    {
        // Ping-pong: each completion is posted while the pump drains, is about to wait or waits, and the next only once the
        // pump took it. A post that did not wake a waiting pump leaves its wait to run out (a minute: a hang detector, not
        // a timing): the wait then returns false with the item still queued.
        const int Count = 2_000;
        var queue = new HostCompletionQueue<int>();
        using var taken = new SemaphoreSlim(0);
        var producer = new Thread(() =>
        {
            for (var i = 0; i < Count; i++)
            {
                queue.CallStarted();
                queue.Post(i);
                if (!taken.Wait(TimeSpan.FromMinutes(1)))
                {
                    return;
                }
            }
        });
        producer.Start();

        for (var expected = 0; expected < Count;)
        {
            while (queue.TryTake(out var item))
            {
                Assert.Equal(expected++, item);
                taken.Release();
            }

            if (expected < Count)
            {
                Assert.True(queue.Wait(TimeSpan.FromMinutes(1), CancellationToken.None) || !queue.IsIdle, $"completion {expected} was posted but the pump was not woken");
            }
        }

        producer.Join();
        Assert.True(queue.IsIdle);
    }
}
