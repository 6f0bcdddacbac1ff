using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Engines.V8;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Tools;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.V8;

/// <summary>
/// The V8 pool: warm engines are prepared ahead and bounded, runtimes are bounded and trimmed when idle, and no
/// engine ever runs two scripts. Each test has its own factory (its own pool).
/// </summary>
public sealed class V8PoolTests
{
    private const string LeakCheck = """
        const seen = [typeof globalThis.leaked, typeof Object.prototype.polluted, typeof Array.prototype.polluted];
        globalThis.leaked = 1;
        Object.prototype.polluted = 1;
        Array.prototype.polluted = 1;
        return seen;
        """;

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task SequentialScripts_OnOneRuntime_NeverSeeEachOthersGlobals(int warmEngines)
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, WarmEnginesPerRuntime = warmEngines });
        for (var i = 0; i < 6; i++)
        {
            var (outcome, _) = await ScriptRunHelper.RunAsync(factory, LeakCheck);
            Assert.Equal("""["undefined","undefined","undefined"]""", outcome.Value!.ToJsonString());
        }

        Assert.Equal(1, factory.Pool.ThreadCount);
    }

    [Fact]
    public async Task WarmEngines_ArePreparedAheadUpToTheBound()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, WarmEnginesPerRuntime = 3 });
        await RunOk(factory, "return 1;");

        Assert.True(await Eventually(() => factory.Pool.WarmEngineCount == 3), $"warm engines: {factory.Pool.WarmEngineCount}");
        await Task.Delay(200);
        Assert.Equal(3, factory.Pool.WarmEngineCount);
    }

    [Fact]
    public async Task WithoutPool_NoEngineIsPreparedAhead()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, WarmEnginesPerRuntime = 0 });
        await RunOk(factory, "return 1;");
        await RunOk(factory, "return 2;");
        await Task.Delay(100);
        Assert.Equal(0, factory.Pool.WarmEngineCount);
    }

    [Fact]
    public async Task ParallelScripts_UseAtMostMaxRuntimes()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 2 });
        var runs = Enumerable.Range(0, 8).Select(i => RunOk(factory, $"await tools.t.delay({{ms: 30}}); return {i};")).ToArray();
        var peak = 0;
        while (!runs.All(r => r.IsCompleted))
        {
            peak = Math.Max(peak, factory.Pool.ThreadCount);
            await Task.Delay(5);
        }

        await Task.WhenAll(runs);
        Assert.InRange(peak, 1, 2);
        Assert.InRange(factory.Pool.ThreadCount, 1, 2);
    }

    [Fact]
    public async Task IdleRuntimes_AreTrimmedDownToOneThatStaysWarm()
    {
        var factory = new V8EngineFactory(new V8EngineOptions
        {
            MaxRuntimes = 3, WarmEnginesPerRuntime = 1, IdleTrimAfter = TimeSpan.FromMilliseconds(100),
        });
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => RunOk(factory, $"await tools.t.delay({{ms: 50}}); return {i};")));
        Assert.True(factory.Pool.ThreadCount > 1, $"slots: {factory.Pool.ThreadCount}");

        Assert.True(await Eventually(() => factory.Pool.ThreadCount == 1), $"slots after idling: {factory.Pool.ThreadCount}");
        Assert.True(await Eventually(() => factory.Pool.WarmEngineCount == 1), $"warm engines after idling: {factory.Pool.WarmEngineCount}");
        await RunOk(factory, "return 1;");
    }

    [Theory]
    [InlineData("for (;;) {}")]
    [InlineData("const a = [];\nfor (;;) a.push(new Array(64).fill(a.length));")]
    public async Task RuntimeWhoseScriptOverranItsDeadline_IsRetiredBeforeItsOutcome_AndNeverRunsAgain(string overrun)
    {
        // A memory limit far above what 150 ms of allocation reaches: on an idle machine the allocating loop reached the
        // default 96 MiB before a 300 ms deadline and ended with memory_limit, not the overrun this test is about. Every
        // script runs under it, so no runtime is replaced for a change of limit. The watchdog's slack is far above the
        // interrupt's reach: on a loaded 2-core CI machine the allocating loop once took 2.45 s to take the interrupt,
        // the default 2 s watchdog wrote the runtime off first, and that path (ScriptWatchdogTests, DedicatedThreadPoolTests) is not this one.
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(150), MemoryBytes = 1024L * 1024 * 1024 };
        var factory = new V8EngineFactory(new V8EngineOptions
        {
            MaxRuntimes = 1, WarmEnginesPerRuntime = 0, WatchdogSlack = TimeSpan.FromSeconds(60),
        });
        Assert.Equal(ScriptStatus.Ok, (await ScriptRunHelper.RunAsync(factory, "return 1;", limits)).Outcome.Status);
        Assert.Equal(1, factory.Pool.RuntimesCreated);
        Assert.Equal(0, factory.Pool.RuntimesDisposed);

        var (outcome, _) = await ScriptRunHelper.RunAsync(factory, overrun, limits);

        // By the time the outcome is reported, the runtime that ran the script is gone (nothing of it can still run),
        // and the next script gets a fresh one.
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error?.Code);
        Assert.True(factory.Pool.RuntimesDisposed == 1, $"{outcome.Error} after {outcome.Duration.TotalMilliseconds} ms: {factory.Pool.RuntimesDisposed} runtimes disposed");
        Assert.Equal(ScriptStatus.Ok, (await ScriptRunHelper.RunAsync(factory, "return 2;", limits)).Outcome.Status);
        Assert.Equal(2, factory.Pool.RuntimesCreated);
    }

    [Fact]
    public async Task NestedDepthRuntimes_AreAllTrimmedWhenIdle_TheTopOneStays()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 2, IdleTrimAfter = TimeSpan.FromMilliseconds(100) });
        await RunOk(factory, "return 0;");
        var nested = ScriptRunHelper.Prepare("return 1;");
        nested = nested with { Context = nested.Context with { NestingDepth = 1 } };
        await using (var sandbox = await factory.CreateAsync())
        {
            var result = await sandbox.RunAsync(nested, new ScriptHarness.Tools.ScriptToolBridge(TestTools.Registry(), nested.Context, ScriptRunHelper.Services()), default);
            Assert.True(result.IsSuccess, result.Error?.ToString());
        }

        Assert.True(await Eventually(() => factory.Levels.For(1).ThreadCount == 0), $"nested slots after idling: {factory.Levels.For(1).ThreadCount}");
        Assert.True(await Eventually(() => factory.Levels.Made.Sum(p => p.ThreadCount) == 1), $"slots after idling: {factory.Levels.Made.Sum(p => p.ThreadCount)}");
        Assert.Equal(1, factory.Pool.ThreadCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnEnginePreparedForTheLastScript_GivesTheNextOneItsOwnToolsAndContext(bool sameTools)
    {
        // Warm engines are prepared with the last script's tool names and context shape; the next script must see only
        // its own, whether the guess was right (same tools, another conversation) or wrong (other tools).
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, WarmEnginesPerRuntime = 2 });
        var first = await RunAsync(factory, TestTools.Registry(), "conv-A", "return 1;");
        Assert.Equal(ScriptStatus.Ok, first.Status);
        Assert.True(await Eventually(() => factory.Pool.WarmEngineCount == 2), $"warm engines: {factory.Pool.WarmEngineCount}");

        var other = new ToolRegistry([new ToolDefinition("b.y", "another host's tool", new JsonObject { ["type"] = "object" },
            (_, _, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["b"] = true }))]);
        var second = await RunAsync(factory, sameTools ? TestTools.Registry() : other, "conv-B", """
            const names = Object.keys(tools);
            return [names, Object.keys(tools[names[0]]).sort(), context.conversationId, Object.isFrozen(tools), Object.isFrozen(context)];
            """);

        Assert.Equal(ScriptStatus.Ok, second.Status);
        Assert.Equal(
            sameTools ? """[["t"],["crash","delay","echo","fail","guarded"],"conv-B",true,true]""" : """[["b"],["y"],"conv-B",true,true]""",
            second.Value!.ToJsonString());
    }

    [Fact]
    public void TheContextPreparedAhead_KeepsItsShape_WithoutAnotherScriptsValues()
    {
        var shape = new V8ScriptShape("[]", """{"conversationId":"conv-A","mode":"enabled","limits":{"timeoutMs":30000},"$replay":{"seed":[1,2]},"tags":["x",2]}""");
        Assert.Equal("""{"conversationId":"","mode":"","limits":{"timeoutMs":30000},"$replay":{"seed":[1,2]},"tags":["",2]}""", shape.ContextShapeJson());
    }

    private static async Task<ScriptOutcome> RunAsync(V8EngineFactory factory, ToolRegistry registry, string conversation, string source)
    {
        var context = ScriptContextFactory.Create(new RunIdentity(conversation, "s-" + conversation, "t-" + conversation), 0, ToolMode.Enabled, ScriptLimits.Default);
        var prepared = new PreparedScript(new ParsedScript(source, "0000"), context);
        var bridge = new ScriptToolBridge(registry, context, ScriptRunHelper.Services());
        await using var sandbox = await factory.CreateAsync();
        return OutcomeComposer.Compose(0, prepared.Script.Sha256, await sandbox.RunAsync(prepared, bridge, CancellationToken.None), bridge);
    }

    private static async Task RunOk(V8EngineFactory factory, string source)
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(factory, source);
        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.ToString());
    }

    /// <summary>Polls <paramref name="condition"/> for up to 10 s: background work has no completion to await.</summary>
    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }
}
