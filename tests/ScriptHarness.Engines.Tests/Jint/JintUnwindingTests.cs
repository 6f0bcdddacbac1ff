using ScriptHarness.Engines;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>
/// A limit met deep in Jint's generator, await and destructuring frames: each rethrows on the way out, nesting one
/// exception dispatch per level, and on the 16 MiB stack of before such scripts ended the test host itself with a .NET
/// stack overflow (found by an attack round, 2026-12-07). Reaching the end of each test is half of what it checks.
/// </summary>
public sealed class JintUnwindingTests
{
    private static readonly JintEngineFactory Engine = new();

    [Theory]
    [InlineData("function* g(n) { if (n > 0) yield* g(n - 1); else yield 1; }\nreturn [...g(100000)].length;")]
    [InlineData("async function* g(n) { if (n > 0) yield* g(n - 1); else yield 1; }\nfor await (const x of g(100000)) {}\nreturn 1;")]
    [InlineData("async function* g(n) { if (n > 0) yield* g(n - 1); yield await 1; }\nconst it = g(100000);\nawait it.next();\nreturn 1;")]
    [InlineData("function* g(n) { if (n > 0) { const [a] = g(n - 1); } yield 1; }\nconst [z] = g(100000);\nreturn 1;")]
    [InlineData("function* g(n) { try { if (n > 0) yield* g(n - 1); else yield 1; } finally { } }\nreturn [...g(100000)].length;")]
    [InlineData("function* g(n) { if (n > 0) yield* [...g(n - 1)]; else yield 1; }\nreturn [...g(100000)].length;")]
    public async Task Run_RecursionThroughDelegationAndDestructuring_EndsWithRecursionLimit(string source)
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, source);

        Assert.Equal(ScriptErrorCode.RecursionLimit, outcome.Error?.Code);
        Assert.Equal("the script exceeded its call stack limit of 2 MB (call depth limit 256 frames)", outcome.Error?.Message);
        await AssertTheEngineRunsAgainAsync();
    }

    [Theory]
    [InlineData("{ const a = []; for (;;) a.push('x'.repeat(1000) + a.length); }", ScriptErrorCode.MemoryLimit)]
    [InlineData("{ for (;;) {} }", ScriptErrorCode.Timeout)]
    public async Task Run_LimitMetSevenHundredDelegationsDeep_EndsWithItsCode(string innermost, ScriptErrorCode expected)
    {
        // Within the stack budget, so it is the memory or time limit that throws, from 700 levels down.
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(3) };
        var source = "async function* g(n) { if (n > 0) yield* g(n - 1); else " + innermost + " }\nfor await (const x of g(700)) {}\nreturn 1;";

        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, source, limits);

        Assert.Equal(expected, outcome.Error?.Code);
        await AssertTheEngineRunsAgainAsync();
    }

    [Fact]
    public async Task Run_AThrowCaughtSevenHundredDelegationsUp_IsTheScriptsToHandle()
    {
        var source = "async function* g(n) { if (n > 0) yield* g(n - 1); else throw new Error('deep'); }\n"
            + "try { for await (const x of g(700)) {} } catch (e) { return e.message; }";

        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, source);

        Assert.Equal("deep", outcome.Value?.GetValue<string>());
    }

    [Fact]
    public async Task Run_StoppedByALimit_ItsThreadLeavesThePool_AndTheNextScriptGetsAFreshOne()
    {
        // The unwinding touched tens of MiB of the thread's stack, which would stay resident for the thread's life.
        // One thread at most, so the count says which thread ran each script.
        var engine = new JintEngineFactory(new JintEngineOptions { MaxThreads = 1 });
        var threads = engine.Threads.Top;
        await AssertTheEngineRunsAgainAsync(engine);
        Assert.Equal(1, threads.ThreadCount);

        var (stopped, _) = await ScriptRunHelper.RunAsync(engine, "function* g(n) { if (n > 0) yield* g(n - 1); else yield 1; }\nreturn [...g(100000)].length;");

        Assert.Equal(ScriptErrorCode.RecursionLimit, stopped.Error?.Code);
        Assert.True(await LeavesAsync(threads, TimeSpan.FromSeconds(10)), $"{threads.ThreadCount} thread(s) left");
        await AssertTheEngineRunsAgainAsync(engine);
        Assert.Equal(1, threads.ThreadCount);
    }

    [Fact]
    public async Task Run_AScriptError_KeepsItsThread()
    {
        var engine = new JintEngineFactory(new JintEngineOptions { MaxThreads = 1 });
        var threads = engine.Threads.Top;
        await AssertTheEngineRunsAgainAsync(engine);

        var (failed, _) = await ScriptRunHelper.RunAsync(engine, "function f(n) { if (n === 0) throw new Error('x'); f(n - 1); }\nf(100);");

        // A retired thread leaves within microseconds of its run (nothing else is scheduled); this one stays.
        Assert.Equal(ScriptErrorCode.RuntimeError, failed.Error?.Code);
        Assert.False(await LeavesAsync(threads, TimeSpan.FromSeconds(1)), "the thread left the pool");
    }

    [Theory]
    [InlineData(260)]
    [InlineData(3000)]
    public async Task Run_ExpressionDeeperThanJintAnalyses_IsASyntaxError_NotARetryableHarnessError(int terms)
    {
        // The validator's parser accepts it; Jint's own analysis walks at most 256 levels of the tree.
        var source = "return 1" + string.Concat(Enumerable.Repeat("+1", terms)) + ";";

        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, source);

        Assert.Equal(ScriptErrorCode.SyntaxError, outcome.Error?.Code);
        Assert.False(outcome.Error?.Retryable);
        Assert.Contains("nested too deeply for the jint engine", outcome.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExpressionWithinJintsDepth_Runs()
    {
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "return 1" + string.Concat(Enumerable.Repeat("+1", 250)) + ";");

        Assert.Equal(251, outcome.Value?.GetValue<int>());
    }

    // Waits on another thread: the run's completion may continue this test on the sandbox thread itself, which could
    // not leave the pool while the test waited on it.
    private static Task<bool> LeavesAsync(DedicatedThreadPool<JintThread> threads, TimeSpan within) =>
        Task.Run(() => SpinWait.SpinUntil(() => threads.ThreadCount == 0, within));

    private static async Task AssertTheEngineRunsAgainAsync(JintEngineFactory? engine = null)
    {
        var (next, _) = await ScriptRunHelper.RunAsync(engine ?? Engine, "return 'alive';");
        Assert.Equal("alive", next.Value?.GetValue<string>());
    }
}
