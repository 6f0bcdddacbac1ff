using System.Text.Json.Nodes;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Pipeline;

public sealed class PromiseLifecycleTests
{
    private static readonly JintEngineFactory Engine = new();

    private static async Task<ScriptOutcome> RunOne(string script, ScriptLimits? limits = null, ToolRegistry? tools = null, ScriptHarnessOptions? options = null)
    {
        options ??= new ScriptHarnessOptions();
        if (limits is not null)
        {
            options = options with { Limits = limits };
        }

        using var harness = new HarnessPipeline(options, Engine, tools ?? TestTools.Registry(), ScriptHarness.Approvals.FixedApprovalService.ApproveAll);
        ScriptOutcome? outcome = null;
        await foreach (var item in harness.RunAsync($"<tool-calls>{script}</tool-calls>"))
        {
            outcome = Assert.IsType<ScriptResultItem>(item).Outcome;
        }

        return outcome!;
    }

    private static (ToolDefinition Tool, Func<int> Peak) PeakTracking(string name, int delayMs)
    {
        var inFlight = 0;
        var peak = 0;
        var tool = new ToolDefinition(name, "slow", new JsonObject { ["type"] = "object" }, async (args, _, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            int seen;
            while ((seen = Volatile.Read(ref peak)) < now && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(delayMs, ct);
                return args?.DeepClone();
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        return (tool, () => Volatile.Read(ref peak));
    }

    [Fact]
    public async Task PromiseAllOfTen_NeverMoreThanFourInFlight_AllComplete()
    {
        var (tool, peak) = PeakTracking("x.slow", 30);
        var outcome = await RunOne("const r = await Promise.all(Array.from({length: 10}, (_, i) => tools.x.slow({i}))); return r.map(x => x.i);",
            tools: new ToolRegistry([tool]));
        Assert.Equal("[0,1,2,3,4,5,6,7,8,9]", outcome.Value!.ToJsonString());
        Assert.InRange(peak(), 1, 4);
        Assert.Equal(10, outcome.Calls.Count(c => c.Status == ToolCallStatus.Succeeded));
    }

    [Fact]
    public async Task HarnessWideLimit_BoundsHandlersAcrossScripts()
    {
        var (tool, peak) = PeakTracking("x.slow", 30);
        var options = new ScriptHarnessOptions { MaxParallelScripts = 4, MaxConcurrentToolExecutions = 2 };
        using var harness = new HarnessPipeline(options, Engine, new ToolRegistry([tool]));
        var block = "<tool-calls>return (await Promise.all([1,2,3,4].map(i => tools.x.slow({i})))).length;</tool-calls>";
        var results = new List<ScriptOutcome>();
        await foreach (var item in harness.RunAsync(block + block + block + block))
        {
            results.Add(Assert.IsType<ScriptResultItem>(item).Outcome);
        }

        Assert.All(results, r => Assert.Equal(4, r.Value!.GetValue<int>()));
        Assert.InRange(peak(), 1, 2);
    }

    [Fact]
    public async Task Timeout_MidLoop_ReportsCompletedCallsAsPartialResults()
    {
        // 100 calls of 50 ms need at least 5 s; the script has 1.5 s.
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(1500), MaxToolCalls = 100 };
        var outcome = await RunOne("for (let i = 0; i < 100; i++) { await tools.t.delay({ms: 50}); }", limits);
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error!.Code);
        var partial = outcome.PartialResults.ToList();
        Assert.InRange(partial.Count, 1, 99);
        Assert.All(partial, c => Assert.Equal(50, c.Result!["ms"]!.GetValue<int>()));
        Assert.Equal(partial.Select(c => c.CallId), outcome.Calls.Take(partial.Count).Select(c => c.CallId));
    }

    [Fact]
    public async Task RuntimeError_AfterCalls_KeepsTheirResults()
    {
        var outcome = await RunOne("await tools.t.echo({a: 1}); await tools.t.echo({a: 2}); throw new Error('late');");
        Assert.Equal(ScriptErrorCode.RuntimeError, outcome.Error!.Code);
        Assert.Equal([1, 2], outcome.PartialResults.Select(c => c.Result!["a"]!.GetValue<int>()));
    }

    [Fact]
    public async Task UnawaitedCall_CancelledAfterGrace_ReportedAsDetachedWithItsId()
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hang = new ToolDefinition("x.hang", "", new JsonObject { ["type"] = "object" }, async (_, _, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return null;
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult(true);
                throw;
            }
        });
        var limits = ScriptLimits.Default with { GracePeriod = TimeSpan.FromMilliseconds(50) };
        var outcome = await RunOne("tools.x.hang({}); return 'kept';", limits, new ToolRegistry([hang]));
        Assert.Equal("kept", outcome.Value!.GetValue<string>());
        var warning = Assert.Single(outcome.Warnings);
        Assert.Equal(ScriptErrorCode.DetachedPromise, warning.Code);
        Assert.Contains("s0#1", warning.Message, StringComparison.Ordinal);
        Assert.Equal(ToolCallStatus.Detached, Assert.Single(outcome.Calls).Status);
        Assert.True(await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the handler's token never fired");
    }

    [Fact]
    public async Task UnawaitedCall_FinishingWithinGrace_IsNotDetached()
    {
        var limits = ScriptLimits.Default with { GracePeriod = TimeSpan.FromSeconds(5) };
        var outcome = await RunOne("tools.t.delay({ms: 30}); return 1;", limits);
        Assert.Empty(outcome.Warnings);
        Assert.Equal(ToolCallStatus.Succeeded, Assert.Single(outcome.Calls).Status);
    }

    [Fact]
    public async Task UnawaitedFailingCall_IsReportedNotFatal()
    {
        var outcome = await RunOne("tools.t.fail({}); await tools.t.echo({}); return 'fine';");
        Assert.Equal("fine", outcome.Value!.GetValue<string>());
        var failed = outcome.Calls.Single(c => c.Tool == "t.fail");
        Assert.Equal(ToolCallStatus.Failed, failed.Status);
        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, failed.Error!.Code);
    }

    [Fact]
    public async Task PromiseRace_WinnerReturned_LosersDetachedAtTheEnd()
    {
        var limits = ScriptLimits.Default with { GracePeriod = TimeSpan.FromMilliseconds(50) };
        var outcome = await RunOne("return await Promise.race([tools.t.delay({ms: 10}), tools.t.delay({ms: 10000}), tools.t.delay({ms: 20000})]);", limits);
        Assert.Equal(10, outcome.Value!["ms"]!.GetValue<int>());
        Assert.Equal(2, outcome.Calls.Count(c => c.Status == ToolCallStatus.Detached));
        Assert.Contains(outcome.Warnings, w => w.Code == ScriptErrorCode.DetachedPromise);
    }

    [Fact]
    public async Task LateCompletion_AfterScriptEnded_IsDroppedWithoutHarm()
    {
        // The handler ignores cancellation and finishes long after the script and its engine are gone.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubborn = new ToolDefinition("x.stubborn", "", new JsonObject { ["type"] = "object" }, async (_, _, _) =>
        {
            await release.Task;
            return new JsonObject { ["late"] = true };
        });
        var limits = ScriptLimits.Default with { GracePeriod = TimeSpan.FromMilliseconds(20) };
        var outcome = await RunOne("tools.x.stubborn({}); return 1;", limits, new ToolRegistry([stubborn]));
        release.SetResult();
        Assert.Equal(1, outcome.Value!.GetValue<int>());
        Assert.Equal(ToolCallStatus.Detached, Assert.Single(outcome.Calls).Status);

        // The harness is still healthy afterwards.
        Assert.Equal(2, (await RunOne("return 2;")).Value!.GetValue<int>());
    }

    [Fact]
    public async Task FiftySequentialAwaits_AllComplete()
    {
        var limits = ScriptLimits.Default with { MaxToolCalls = 50 };
        var outcome = await RunOne("let s = 0; for (let i = 0; i < 50; i++) s += (await tools.t.echo({i})).i; return s;", limits);
        Assert.Equal(1225, outcome.Value!.GetValue<int>());
        Assert.Equal(50, outcome.ToolCalls);
    }

    [Fact]
    public async Task TenThousandConsoleLogs_CappedAndCounted()
    {
        var outcome = await RunOne("for (let i = 0; i < 10000; i++) console.log('line', i); return 'done';");
        Assert.Equal("done", outcome.Value!.GetValue<string>());
        Assert.InRange(outcome.Logs.Count, 1, 200);
        Assert.Equal(10000, outcome.Logs.Count + outcome.DroppedLogs);
    }

    [Fact]
    public async Task DryRun_CallsRecordedAsDryRun()
    {
        using var harness = new HarnessPipeline(new ScriptHarnessOptions(), Engine, TestTools.Registry());
        ScriptOutcome? outcome = null;
        await foreach (var item in harness.RunAsync("<tool-calls>await tools.t.fail({}); return 'no failure in dry run';</tool-calls>", new RunOptions { Mode = ToolMode.DryRun }))
        {
            outcome = Assert.IsType<ScriptResultItem>(item).Outcome;
        }

        Assert.Equal("no failure in dry run", outcome!.Value!.GetValue<string>());
        Assert.Equal(ToolCallStatus.DryRun, Assert.Single(outcome.Calls).Status);
    }

    [Fact]
    public async Task PerToolTimeout_OverridesTheDefault()
    {
        var slow = new ToolDefinition("x.slow", "", new JsonObject { ["type"] = "object" }, async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }) { Timeout = TimeSpan.FromMilliseconds(50) };
        var outcome = await RunOne("try { await tools.x.slow({}); } catch (e) { return e.message; }", tools: new ToolRegistry([slow]));
        Assert.Contains("timed out after 50 ms", outcome.Value!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("let n = 0; const a = { get v() { return ++n; } }; const r = await tools.t.echo(a); return [r.v, n];", "[1,1]")]
    [InlineData("const a = { v: 1, toJSON() { return { v: 'json' }; } }; return (await tools.t.echo(a)).v;", "\"json\"")]
    [InlineData("const p = new Proxy({}, { get: (t, k) => k === 'toJSON' ? undefined : 'proxied', ownKeys: () => ['v'], getOwnPropertyDescriptor: () => ({ value: 'x', enumerable: true, configurable: true }) }); return (await tools.t.echo(p)).v;", "\"proxied\"")]
    public async Task Arguments_AreCopiedOnceInsideTheEngine(string script, string expected)
    {
        // Whatever the object does, the host receives one plain JSON copy taken at the call.
        var outcome = await RunOne(script);
        Assert.Equal(expected, outcome.Value!.ToJsonString());
    }
}
