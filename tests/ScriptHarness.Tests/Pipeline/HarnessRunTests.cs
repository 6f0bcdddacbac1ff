using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Approvals;
using ScriptHarness.Context;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Pipeline;

/// <summary>
/// What a pipeline does with what it was given and what a run is given: its configuration checked whole at the
/// door, its defaults (deny approvals, no logging, the system clock) and the per-run options over them, the bounded
/// stages pulling the reply no faster than results are taken, and a run broken off by its consumer stopping its work.
/// </summary>
public sealed class HarnessRunTests
{
    private static readonly JintEngineFactory Engine = new();

    [Fact]
    public void Create_ProcessIsolationAskedOfAnInProcessEngine_IsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            new HarnessPipeline(new ScriptHarnessOptions { Isolation = EngineIsolation.Process }, Engine));

        Assert.Equal(["Isolation Process was asked for but engine 'jint' runs in this process"], ex.Problems);
    }

    [Fact]
    public void Create_InProcessAskedOfAProcessIsolatedEngine_IsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            new HarnessPipeline(new ScriptHarnessOptions { Isolation = EngineIsolation.InProcess }, new Isolated(Engine)));

        Assert.Equal(["Isolation InProcess was asked for but engine 'jint' runs in worker processes"], ex.Problems);
    }

    [Fact]
    public void Create_IsolationThatMatchesTheEngine_IsAccepted()
    {
        using var inProcess = new HarnessPipeline(new ScriptHarnessOptions { Isolation = EngineIsolation.InProcess }, Engine);
        using var process = new HarnessPipeline(new ScriptHarnessOptions { Isolation = EngineIsolation.Process }, new Isolated(Engine));

        Assert.Same(Engine, inProcess.Engine);
        Assert.Equal(EngineIsolation.InProcess, inProcess.Options.Isolation);
        Assert.Equal(EngineIsolation.Process, process.Options.Isolation);
    }

    [Fact]
    public void Create_DurableApprovalsWithoutAStore_IsRefused_WithEveryOtherProblem()
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            new HarnessPipeline(new ScriptHarnessOptions { DurableApprovals = true, Engine = "v8", Isolation = EngineIsolation.Process }, Engine));

        Assert.Equal(
        [
            "Engine 'v8' was asked for but the engine given is 'jint'",
            "Isolation Process was asked for but engine 'jint' runs in this process",
            "DurableApprovals needs a state store to keep suspended runs in",
        ], ex.Problems);
    }

    [Fact]
    public void Create_ChecksItsArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new HarnessPipeline(null!, Engine));
        Assert.Throws<ArgumentNullException>(() => new HarnessPipeline(new ScriptHarnessOptions(), null!));
    }

    [Fact]
    public async Task Run_WithoutAnApprovalService_DeniesEveryApproval()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());

        var outcome = await RunOneAsync(sut, "try { await tools.t.guarded({}); return 'ran'; } catch (e) { return e.code; }");

        Assert.Equal("approval_denied", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Run_ThePipelinesApprovalService_DecidesWhenTheRunGivesNone()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), FixedApprovalService.ApproveAll);

        var outcome = await RunOneAsync(sut, "const r = await tools.t.guarded({}); return r.done;");

        Assert.True(outcome.Value!.GetValue<bool>());
    }

    [Fact]
    public async Task Run_TheRunsApprovals_OverrideThePipelines()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), FixedApprovalService.DenyAll);

        var outcome = await RunOneAsync(sut, "const r = await tools.t.guarded({}); return r.done;", new RunOptions { Approvals = FixedApprovalService.ApproveAll });

        Assert.True(outcome.Value!.GetValue<bool>());
    }

    [Fact]
    public async Task Run_TheRunsIdentity_IsTheScriptsContext_ElseANewOneEachRun()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());
        const string Source = "return [context.conversationId, context.sessionId, context.turnId];";

        var given = await RunOneAsync(sut, Source, new RunOptions { Identity = new RunIdentity("conv-7", "sess-8", "turn-9") });
        var first = await RunOneAsync(sut, Source);
        var second = await RunOneAsync(sut, Source);

        Assert.Equal("""["conv-7","sess-8","turn-9"]""", given.Value!.ToJsonString());
        // Compared whole: a fresh id is "conv-" and random hex, which begins with a 7 one time in sixteen.
        Assert.DoesNotContain(first.Value!.AsArray().Select(id => id!.GetValue<string>()), id => id is "conv-7" or "sess-8" or "turn-9");
        Assert.False(string.IsNullOrEmpty(first.Value![0]!.GetValue<string>()));
        Assert.NotEqual(first.Value!.ToJsonString(), second.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_TheRunsMode_OverridesThePipelines()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions { Mode = ToolMode.Disabled }, Engine, TestTools.Registry());

        var skipped = await RunOneAsync(sut, "return 1;");
        var ran = await RunOneAsync(sut, "return 1;", new RunOptions { Mode = ToolMode.Enabled });

        Assert.Equal(ScriptStatus.Skipped, skipped.Status);
        Assert.Equal(1, ran.Value!.GetValue<int>());
    }

    [Fact]
    public async Task Events_AreStampedByThePipelinesClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero));
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), timeProvider: clock);

        var events = new List<HarnessEvent>();
        await foreach (var e in sut.RunEventsAsync("text <tool-calls>await tools.t.echo({}); return 1;</tool-calls>"))
        {
            events.Add(e);
        }

        Assert.Contains(events, e => e is ToolCallCompletedEvent);
        Assert.All(events, e => Assert.Equal(clock.GetUtcNow(), e.Timestamp));
    }

    [Fact]
    public async Task AToolHandlersCrash_IsLoggedToThePipelinesLogger()
    {
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry(), logger: factory.CreateLogger<HarnessPipeline>());

        var outcome = await RunOneAsync(sut, "try { await tools.t.crash({}); } catch (e) { return e.code; }");

        Assert.Equal("tool_execution_failed", outcome.Value!.GetValue<string>());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("t.crash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingChunkSource_EndsTheEventStreamWithItsException_NotACancellation()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());
        var events = new List<HarnessEvent>();

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var e in sut.RunStreamingEventsAsync(Failing()))
            {
                events.Add(e);
            }
        });

        Assert.DoesNotContain(events, e => e is RunCancelledEvent);
        Assert.Contains(events, e => e is ResponseItemEvent { Item: ScriptResultItem });

        static async IAsyncEnumerable<string> Failing()
        {
            yield return "<tool-calls>return 1;</tool-calls>";
            await Task.Delay(50);
            throw new IOException("the model stream broke");
        }
    }

    [Fact]
    public async Task AChunkSourceThatCancelsItself_IsNoCancellationOfTheRun()
    {
        // Its own OperationCanceledException, the host's token untouched: the stream ends with it, and no event says
        // the host cancelled the run.
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());
        var events = new List<HarnessEvent>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in sut.RunStreamingEventsAsync(SelfCancelling()))
            {
                events.Add(e);
            }
        });

        Assert.DoesNotContain(events, e => e is RunCancelledEvent);

        static async IAsyncEnumerable<string> SelfCancelling()
        {
            yield return "text ";
            await Task.Delay(20);
            throw new OperationCanceledException("the source gave up");
        }
    }

    [Fact]
    public async Task AHostCancel_EndsTheEventStreamWithARunCancelledEvent()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());
        using var cts = new CancellationTokenSource();
        var events = new List<HarnessEvent>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in sut.RunEventsAsync("<tool-calls>while (true) {}</tool-calls>", cancellationToken: cts.Token))
            {
                events.Add(e);
                if (e is ScriptStartedEvent)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.IsType<RunCancelledEvent>(events[^1]);
    }

    [Fact]
    public async Task TheStages_PullTheReplyNoFasterThanItsResultsAreTaken()
    {
        // 400 blocks, one chunk each, and a consumer that takes one result and then waits: bounded stages stop pulling.
        using var sut = new HarnessPipeline(new ScriptHarnessOptions { StageCapacity = 2, MaxParallelScripts = 1 }, Engine, TestTools.Registry());
        var pulled = 0;

        await using var results = sut.RunStreamingAsync(Chunks()).GetAsyncEnumerator();
        Assert.True(await results.MoveNextAsync());
        await Task.Delay(300);

        Assert.InRange(Volatile.Read(ref pulled), 1, 40);

        async IAsyncEnumerable<string> Chunks()
        {
            for (var i = 0; i < 400; i++)
            {
                Interlocked.Increment(ref pulled);
                await Task.Yield();
                yield return $"<tool-calls>return {i};</tool-calls>";
            }
        }
    }

    [Fact]
    public async Task AConsumerThatBreaksOff_StopsTheScriptsStillRunning()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hang = new ToolDefinition("t.hang", "waits until cancelled", new JsonObject { ["type"] = "object" }, async (_, _, ct) =>
        {
            started.TrySetResult();
            using var registration = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        // The call's own time limit is past the wait below: only the run's cancellation can end it in time.
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMinutes(2), ToolTimeout = TimeSpan.FromMinutes(1) };
        using var sut = new HarnessPipeline(new ScriptHarnessOptions { MaxParallelScripts = 2, Limits = limits }, Engine, new ToolRegistry([hang]));

        await foreach (var item in sut.RunAsync("first <tool-calls>await tools.t.hang({}); return 1;</tool-calls>"))
        {
            Assert.IsType<TextItem>(item);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
            break;
        }

        // A hang detector, not a timing: the call is cancelled as the run is left, well within it.
        Assert.Same(cancelled.Task, await Task.WhenAny(cancelled.Task, Task.Delay(TimeSpan.FromSeconds(20))));
    }

    [Fact]
    public async Task Resume_WithoutDurableApprovals_IsAnUnknownToken()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());

        var outcome = await sut.ResumeAsync("token", ApprovalDecision.Approve);

        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, outcome.Error!.Code);
        Assert.Equal("this harness keeps no suspended blocks: DurableApprovals is off", outcome.Error.Message);
    }

    [Fact]
    public void Resume_ChecksItsArguments()
    {
        using var sut = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());

        Assert.Throws<ArgumentNullException>(() => { _ = sut.ResumeAsync(null!, ApprovalDecision.Approve); });
        Assert.Throws<ArgumentNullException>(() => { _ = sut.ResumeAsync("token", null!); });
        Assert.Throws<ArgumentNullException>(() => sut.ResumeEventsAsync(null!, ApprovalDecision.Approve));
        Assert.Throws<ArgumentNullException>(() => sut.ResumeEventsAsync("token", null!));
    }

    private static async Task<ScriptOutcome> RunOneAsync(HarnessPipeline sut, string source, RunOptions? options = null)
    {
        ScriptOutcome? outcome = null;
        await foreach (var item in sut.RunAsync($"<tool-calls>{source}</tool-calls>", options))
        {
            outcome = Assert.IsType<ScriptResultItem>(item).Outcome;
        }

        return outcome!;
    }

    private sealed class Isolated(IScriptEngineFactory inner) : DelegatingScriptEngineFactory(inner)
    {
        public override EngineCapabilities Capabilities => InnerFactory.Capabilities | EngineCapabilities.ProcessIsolated;
    }
}
