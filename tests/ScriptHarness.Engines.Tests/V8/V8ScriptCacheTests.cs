using System.Globalization;
using Microsoft.ClearScript;
using ScriptHarness.Context;
using ScriptHarness.Engines;
using ScriptHarness.Engines.V8;
using ScriptHarness.Parsing;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Engines.V8;

/// <summary>The compiled-script cache of each V8 runtime: keyed by SHA-256, checked against the source, code only.</summary>
public sealed class V8ScriptCacheTests
{
    private const string Counter = """
        const before = typeof globalThis.runs;
        globalThis.runs = 1;
        return before;
        """;

    [Fact]
    public async Task RepeatedScript_IsCompiledOnItsSecondRun_AndStillRunsInAFreshContext()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1 });
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("undefined", await Run(factory, Counter, "hash-counter"));
        }

        // First run from source, second compiles, third and fourth reuse the compiled script.
        Assert.Equal(2, factory.Pool.Code.ScriptHits);
    }

    [Fact]
    public async Task SameHashDifferentSource_RunsItsOwnSource()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1 });
        Assert.Equal("a", await Run(factory, "return 'a';", "same-hash"));
        Assert.Equal("b", await Run(factory, "return 'b';", "same-hash"));
        Assert.Equal("a", await Run(factory, "return 'a';", "same-hash"));
        Assert.Equal("b", await Run(factory, "return 'b';", "same-hash"));
        Assert.Equal("a", await Run(factory, "return 'a';", "same-hash"));
        Assert.Equal(1, factory.Pool.Code.ScriptHits);
    }

    [Fact]
    public async Task Disabled_NeverHits()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, ScriptCacheSize = 0 });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("undefined", await Run(factory, Counter, "hash-counter"));
        }

        Assert.Equal(0, factory.Pool.Code.ScriptHits);
    }

    [Fact]
    public async Task Full_EvictsTheLeastRecentlyUsed()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1, ScriptCacheSize = 2 });
        await Run(factory, "return 1;", "h1");
        await Run(factory, "return 2;", "h2");
        await Run(factory, "return 1;", "h1"); // compiled
        await Run(factory, "return 3;", "h3"); // h2 out
        await Run(factory, "return 1;", "h1");
        Assert.Equal(1, factory.Pool.Code.ScriptHits);
        await Run(factory, "return 2;", "h2"); // seen again from scratch; h3 out
        await Run(factory, "return 1;", "h1");
        Assert.Equal(2, factory.Pool.Code.ScriptHits);
        await Run(factory, "return 3;", "h3");
        Assert.Equal(2, factory.Pool.Code.ScriptHits);
    }

    [Fact]
    public async Task SyntaxError_IsReportedEveryTime()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1 });
        for (var i = 0; i < 3; i++)
        {
            var outcome = await RunOutcome(factory, "return (;", "bad");
            Assert.Equal(ScriptErrorCode.SyntaxError, outcome.Error!.Code);
        }

        Assert.Equal(0, factory.Pool.Code.ScriptHits);
    }

    [Fact]
    public async Task CompiledScript_ReportsTheSameErrorPosition()
    {
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 1 });
        var errors = new List<ScriptError>();
        for (var i = 0; i < 3; i++)
        {
            errors.Add((await RunOutcome(factory, "const a = 1;\nfunction f() { throw new Error('boom'); }\nf();", "throws")).Error!);
        }

        Assert.Equal(1, factory.Pool.Code.ScriptHits);
        Assert.All(errors, e => Assert.Equal((ScriptErrorCode.RuntimeError, 2, errors[0].Stack), (e.Code, e.Line, e.Stack)));
        Assert.Contains("at f (2:", errors[0].Stack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedScript_OnSeveralRuntimes_ReportsTheSameErrorEveryTime()
    {
        // Runs land on either runtime: from source, compiled, or compiled from the other runtime's code cache.
        var factory = new V8EngineFactory(new V8EngineOptions { MaxRuntimes = 2 });
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            RunOutcome(factory, "await tools.t.delay({ms: 5});\nfunction f() { throw new Error('boom'); }\nf();", "throws-async")));
        outcomes = [.. outcomes, .. await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            RunOutcome(factory, "await tools.t.delay({ms: 5});\nfunction f() { throw new Error('boom'); }\nf();", "throws-async")))];
        Assert.All(outcomes, o => Assert.Equal((ScriptErrorCode.RuntimeError, 2, outcomes[0].Error!.Stack), (o.Error!.Code, o.Error.Line, o.Error.Stack)));
        Assert.True(factory.Pool.Code.ScriptHits + factory.Pool.Code.CodeHits > 0);
    }

    [Fact]
    public void CompiledOnOneRuntime_IsDeserializedOnAnother_ForTheSameSourceOnly()
    {
        var shared = new V8CodeCache(16);
        using var a = new V8Isolate(ScriptLimits.Default.MemoryBytes, 16, shared);
        using var b = new V8Isolate(ScriptLimits.Default.MemoryBytes, 16, shared);
        using var c = new V8Isolate(ScriptLimits.Default.MemoryBytes, 16, shared);
        var script = new ParsedScript("return 40 + 2;", "h");

        Assert.Null(a.Scripts.Get(script));
        Assert.NotNull(a.Scripts.Get(script));
        Assert.Equal(0, shared.CodeHits);

        Assert.NotNull(b.Scripts.Get(script));
        Assert.Equal(1, shared.CodeHits);
        Assert.NotNull(b.Scripts.Get(script));
        Assert.Equal(1, shared.ScriptHits);

        Assert.Null(c.Scripts.Get(new ParsedScript("return 1;", "h")));
        Assert.Equal(1, shared.CodeHits);
    }

    [Fact]
    public void ClearScriptsOwnDocumentList_IsKeptShort_AndScriptsPastItStillRun()
    {
        // ClearScript scans that list on every compilation and evaluation, and a sandbox's documents never repeat in it:
        // it is made as short as ClearScript allows once a runtime exists, and evicting from it loses nothing.
        using var isolate = new V8Isolate(ScriptLimits.Default.MemoryBytes, 16, new V8CodeCache(16));
        for (var i = 0; i < 3 * (int)V8ProcessFlags.ScriptDocumentCacheSize; i++)
        {
            using var warm = isolate.CreateEngine();
            Assert.Equal(i, Convert.ToInt32(warm.Engine.Evaluate(new DocumentInfo(ScriptSource.SourceName), $"{i}"), CultureInfo.InvariantCulture));
        }

        Assert.Equal(V8ProcessFlags.ScriptDocumentCacheSize, DocumentCategory.Script.MaxCacheSize);
        using var again = isolate.CreateEngine();
        Assert.Equal(true, again.Engine.Evaluate("typeof EngineInternal === 'object'"));
    }

    private static async Task<string> Run(V8EngineFactory factory, string source, string sha256)
    {
        var outcome = await RunOutcome(factory, source, sha256);
        Assert.True(outcome.Status == ScriptStatus.Ok, outcome.Error?.ToString());
        return outcome.Value!.GetValue<object>().ToString()!;
    }

    private static async Task<ScriptOutcome> RunOutcome(V8EngineFactory factory, string source, string sha256)
    {
        var context = ScriptContextFactory.Create(new RunIdentity("c1", "s1", "t1"), 0, ToolMode.Enabled, ScriptLimits.Default);
        var prepared = new PreparedScript(new ParsedScript(source, sha256), context);
        var bridge = new ScriptToolBridge(TestTools.Registry(), context, ScriptRunHelper.Services());
        await using var sandbox = await factory.CreateAsync(CancellationToken.None);
        return OutcomeComposer.Compose(0, sha256, await sandbox.RunAsync(prepared, bridge, CancellationToken.None), bridge);
    }
}
