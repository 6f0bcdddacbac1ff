using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Engines;

/// <summary>
/// What every engine guarantees, run on each one by a small subclass (the shape of the DI specification tests).
/// Engine-specific behaviour lives in the subclasses.
/// </summary>
public abstract partial class EngineTests
{
    protected static readonly ScriptLimits Short = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(500) };

    /// <summary>The engine under test, one instance per subclass.</summary>
    protected abstract IScriptEngineFactory Engine { get; }

    private protected Task<(ScriptOutcome Outcome, ScriptHarness.Tools.ScriptToolBridge Bridge)> Run(
        string source, ScriptLimits? limits = null, IApprovalService? approvals = null, CancellationToken ct = default) =>
        ScriptRunHelper.RunAsync(Engine, source, limits, approvals: approvals, cancellationToken: ct);

    private protected async Task<ScriptError> RunError(string source, ScriptLimits? limits = null)
    {
        var (outcome, _) = await Run(source, limits);
        Assert.Equal(ScriptStatus.Error, outcome.Status);
        return outcome.Error!;
    }

    [Fact]
    public async Task Run_SourceNestedPastTheEnginesParser_IsASyntaxError_AndTheEngineRunsOn()
    {
        // 5,000 nested array literals: the validator's parser takes them, the engines' own parsers do not. Twice, as a
        // script seen again is compiled on its own path (V8's cache of compiled scripts).
        var source = "return " + new string('[', 5000) + new string(']', 5000) + ";";

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await RunError(source);

            Assert.Equal(ScriptErrorCode.SyntaxError, error.Code);
            Assert.False(error.Retryable);
            Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
        }

        var (next, _) = await Run("return 1 + 1;");
        Assert.Equal(2, next.Value!.GetValue<int>());
    }

    [Fact]
    public async Task Run_ToolCallAndReturn_ReturnsJsonValue()
    {
        var (outcome, bridge) = await Run("const r = await tools.t.echo({a: 1}); return { got: r.a + 1 };");
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("""{"got":2}""", outcome.Value!.ToJsonString());
        Assert.Equal(1, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_CancelledWhileRunning_ReachesNeitherTheToolsNorTheLogAgain()
    {
        // Issue 17.3: a run given up on (the host cancelled it, or the watchdog wrote it off and reported its outcome)
        // went on working: it logged, called tools and returned ok. Its host functions are dead once it is cancelled.
        // Awaited: a handler may run off the engine thread (9.3), so only its completion orders the cancel before the log.
        using var cts = new CancellationTokenSource();
        var cancel = new ScriptHarness.Tools.ToolDefinition("t.cancel", "cancels the run", new System.Text.Json.Nodes.JsonObject { ["type"] = "object" },
            (_, _, _) =>
            {
                cts.Cancel();
                return ValueTask.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
            });
        var registry = new ScriptHarness.Tools.ToolRegistry([TestTools.Echo(), cancel]);
        var (outcome, bridge) = await ScriptRunHelper.RunAsync(Engine,
            "await tools.t.cancel({});\nconsole.log('after');\ncontext.progress('after');\ntools.t.echo({});\nreturn 'finished';",
            registry: registry, cancellationToken: cts.Token);
        Assert.Equal(ScriptErrorCode.Cancelled, outcome.Error?.Code);
        Assert.Empty(bridge.Console.Logs);
        Assert.Equal(1, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_CancelledBeforeItStarts_RunsNothing()
    {
        // It ran to its end and returned ok, having logged and called a tool.
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var (outcome, bridge) = await Run("console.log('ran');\ntools.t.echo({});\nreturn 'finished';", ct: cts.Token);
        Assert.Equal(ScriptErrorCode.Cancelled, outcome.Error?.Code);
        Assert.Empty(bridge.Console.Logs);
        Assert.Equal(0, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_NoReturn_ValueIsNull()
    {
        var (outcome, _) = await Run("const x = 1;");
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Null(outcome.Value);
    }

    [Fact]
    public async Task Run_PromiseAllOfSlowCalls_RunsInParallel()
    {
        var (outcome, _) = await Run("const rs = await Promise.all([1,2,3].map(i => tools.t.delay({ms: 50}))); return rs.length;");
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal(3, outcome.Value!.GetValue<int>());
    }

    [Fact]
    public async Task Run_ManySequentialAwaits_AllComplete()
    {
        var limits = ScriptLimits.Default with { MaxToolCalls = 500 };
        var (outcome, _) = await Run("let s = 0; for (let i = 0; i < 300; i++) { s += (await tools.t.echo({i})).i; } return s;", limits);
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal(299 * 300 / 2, outcome.Value!.GetValue<int>());
    }

    [Fact]
    public async Task Run_InfiniteLoop_TimesOut()
    {
        var error = await RunError("while (true) {}", Short);
        Assert.Equal(ScriptErrorCode.Timeout, error.Code);
    }

    [Fact]
    public async Task Run_LoopAfterAwait_TimesOut()
    {
        var error = await RunError("await tools.t.delay({ms: 1}); while (true) {}", Short);
        Assert.Equal(ScriptErrorCode.Timeout, error.Code);
    }

    [Fact]
    public async Task Run_NeverSettlingPromise_EndsWithTimeoutCode()
    {
        var (outcome, _) = await Run("await new Promise(() => {});", Short);
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error!.Code);
    }

    [Fact]
    public async Task Run_NeverSettlingPromiseWhileToolPending_TimesOutAtDeadline()
    {
        var (outcome, _) = await Run("tools.t.delay({ms: 5000}); await new Promise(() => {});", Short);
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error!.Code);
        Assert.True(outcome.Duration >= TimeSpan.FromMilliseconds(450), $"ended early: {outcome.Duration}");
    }

    [Fact]
    public async Task Run_MemoryBomb_StopsWithMemoryLimit()
    {
        var limits = ScriptLimits.Default with { MemoryBytes = 32L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) };
        var error = await RunError("const keep = []; for (;;) keep.push({ s: 'x'.repeat(64) + keep.length, a: [1, 2, 3] });", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, error.Code);
    }

    [Fact]
    public async Task Run_MemoryBombAfterAwait_StopsWithMemoryLimit()
    {
        var limits = ScriptLimits.Default with { MemoryBytes = 32L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) };
        var error = await RunError("await tools.t.delay({ms: 1}); const keep = []; for (;;) keep.push('y'.repeat(100) + keep.length);", limits);
        Assert.Equal(ScriptErrorCode.MemoryLimit, error.Code);
    }

    [Fact]
    public async Task Run_DeepRecursion_StopsWithRecursionLimit()
    {
        var error = await RunError("function f(n) { return f(n + 1) + 1; } return f(0);");
        Assert.Equal(ScriptErrorCode.RecursionLimit, error.Code);
    }

    [Fact]
    public async Task Run_RecursiveGetter_IsCatchableRangeErrorOrLimit()
    {
        var limits = ScriptLimits.Default with { MaxRecursionDepth = 10_000 };
        var (outcome, _) = await Run("const o = { get x() { return this.x; } }; try { return o.x; } catch (e) { return 'caught ' + e.name; }", limits);
        // The host survives either way; the engine's stack guard turns the overflow into a RangeError the script can catch.
        Assert.True(outcome.Status == ScriptStatus.Ok ? outcome.Value!.GetValue<string>() == "caught RangeError" : outcome.Error!.Code == ScriptErrorCode.RecursionLimit);
    }

    [Fact]
    public async Task Run_ThrownError_IsRuntimeErrorWithCleanStack()
    {
        var error = await RunError("const a = 1;\nfunction inner() { null.x; }\ninner();");
        Assert.Equal(ScriptErrorCode.RuntimeError, error.Code);
        Assert.StartsWith("TypeError:", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.Contains("at inner (2:", error.Stack, StringComparison.Ordinal);
        Assert.DoesNotContain("prelude", error.Stack, StringComparison.Ordinal);
        Assert.DoesNotContain("Jint", error.Stack, StringComparison.Ordinal);
        Assert.DoesNotContain("temp", error.Stack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ErrorOnFirstLine_ColumnIsInScriptCoordinates()
    {
        var error = await RunError("null.x;");
        Assert.Equal(1, error.Line);
        Assert.InRange(error.Column!.Value, 1, 7);
    }

    [Fact]
    public async Task Run_ThrowNonError_IsRuntimeError()
    {
        var error = await RunError("throw 42;");
        Assert.Equal(ScriptErrorCode.RuntimeError, error.Code);
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ToolFailureCaught_ScriptContinues()
    {
        var (outcome, _) = await Run("try { await tools.t.fail({}); } catch (e) { return [e.code, e.message]; }");
        Assert.Equal("""["tool_execution_failed","it failed on purpose"]""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_ToolFailureUncaught_ResultCarriesToolCode()
    {
        var error = await RunError("await tools.t.fail({});");
        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, error.Code);
    }

    [Fact]
    public async Task Run_HandlerThrowsClrException_NoHostDetailsReachScript()
    {
        var (outcome, _) = await Run("try { await tools.t.crash({}); } catch (e) { return { m: e.message, keys: Object.getOwnPropertyNames(e), s: String(e.stack) }; }");
        var json = outcome.Value!.ToJsonString();
        Assert.Contains("t.crash failed", json, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperation", json, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/host", json, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownTool_ToolNotFoundWithSuggestion()
    {
        var error = await RunError("await tools.t.ecko({});");
        Assert.Equal(ScriptErrorCode.ToolNotFound, error.Code);
        Assert.Contains("t.echo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ToolBudget_RejectsCallOverLimit()
    {
        var limits = ScriptLimits.Default with { MaxToolCalls = 3 };
        var (outcome, bridge) = await Run("for (let i = 0; i < 3; i++) await tools.t.echo({i}); try { await tools.t.echo({}); } catch (e) { return e.code; }", limits);
        Assert.Equal("tool_budget_exceeded", outcome.Value!.GetValue<string>());
        Assert.Equal(3, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_InvalidArguments_ValidationErrorNamesField()
    {
        var (outcome, _) = await Run("try { await tools.t.delay({ms: 'soon'}); } catch (e) { return [e.code, e.message]; }");
        var json = outcome.Value!.ToJsonString();
        Assert.Contains("tool_validation_failed", json, StringComparison.Ordinal);
        Assert.Contains("ms", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1n")]
    [InlineData("{ f: () => 1 }")]
    [InlineData("(() => { const o = {}; o.self = o; return o; })()")]
    public async Task Run_NonJsonArguments_RejectedInsideEngine(string args)
    {
        var (outcome, bridge) = await Run($"try {{ await tools.t.echo({args}); return 'called'; }} catch (e) {{ return e.code; }}");
        Assert.Equal("tool_validation_failed", outcome.Value!.GetValue<string>());
        Assert.Equal(0, bridge.AcceptedCalls);
    }

    [Theory]
    [InlineData("{ n: 1n }", "a bigint is not JSON (at \"n\")")]
    [InlineData("{ list: [1, () => 1] }", "a function is not JSON (at \"1\")")]
    [InlineData("{ s: Symbol('x') }", "a symbol is not JSON (at \"s\")")]
    [InlineData("{ get g() { throw new Error('getter says no'); } }", "getter says no")]
    public async Task Run_NonJsonArguments_NameWhatAndWhere(string args, string expected)
    {
        var (outcome, _) = await Run($"try {{ await tools.t.echo({args}); return 'called'; }} catch (e) {{ return [e.code, e.message]; }}");
        var result = outcome.Value!.AsArray();
        Assert.Equal("tool_validation_failed", result[0]!.GetValue<string>());
        Assert.Equal($"arguments of t.echo are not plain JSON: {expected}", result[1]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_ArgumentsFollowStringifyRules()
    {
        // toJSON and getters run once each; undefined members are dropped, undefined array items become null.
        var (outcome, _) = await Run(
            "let reads = 0; const a = { get g() { reads++; return 'g'; }, t: { toJSON(key) { return 'json:' + key; } }, u: undefined, list: [undefined, NaN], hidden: 1 };\n"
            + "Object.defineProperty(a, 'hidden', { enumerable: false });\n"
            + "const r = await tools.t.echo(a); return [r, reads];");
        Assert.Equal("""[{"g":"g","t":"json:t","list":[null,null]},1]""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_GetterCallingAToolWhileArgumentsAreRead_BothCallsGetTheirOwnArguments()
    {
        var (outcome, bridge) = await Run(
            "let inner; const r = await tools.t.echo({ x: 1, get a() { inner = tools.t.echo({ y: [2] }); return 'a'; }, z: [3] });\n"
            + "return [r, await inner];");
        Assert.Equal("""[{"x":1,"a":"a","z":[3]},{"y":[2]}]""", outcome.Value!.ToJsonString());
        Assert.Equal(2, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_ArgumentsAtTheHostDepthLimit_PassAndDeeperAreRefused()
    {
        const string Nest = "const nest = (n) => { let a = 1; for (let i = 0; i < n; i++) a = [a]; return a; };\n";
        var (ok, _) = await Run(Nest + "const r = await tools.t.echo({ a: nest(60) }); let d = 0, x = r.a; while (Array.isArray(x)) { x = x[0]; d++; } return d;");
        Assert.Equal(60, ok.Value!.GetValue<int>());
        var (refused, bridge) = await Run(Nest + "try { await tools.t.echo({ a: nest(80) }); return 'called'; } catch (e) { return [e.code, e.message]; }");
        Assert.Equal("""["tool_validation_failed","the arguments of t.echo are nested too deeply (at most 64 levels)"]""", refused.Value!.ToJsonString());
        Assert.Equal(0, bridge.AcceptedCalls);
    }

    [Fact]
    public async Task Run_ResultsAreDeeplyFrozenPlainData()
    {
        var (outcome, _) = await Run(
            "const r = await tools.t.echo({ a: [{ b: 1 }], s: 'x' });\n"
            + "return [Object.isFrozen(r), Object.isFrozen(r.a), Object.isFrozen(r.a[0]), Object.getPrototypeOf(r) === Object.prototype, Array.isArray(r.a), JSON.stringify(r) === '{\"a\":[{\"b\":1}],\"s\":\"x\"}'];");
        Assert.Equal("[true,true,true,true,true,true]", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_ToolsSurface_IsReadOnlyWithoutPrototype()
    {
        var (outcome, _) = await Run(
            "const tries = [() => { tools.x = 1; }, () => { delete tools.t; }, () => { tools.t.echo = null; }];\n"
            + "return [Object.getPrototypeOf(tools), Object.getPrototypeOf(console), Object.keys(tools).includes('t'), typeof tools.t.echo, Object.isFrozen(tools.t.echo),\n"
            + "  ...tries.map(t => { try { t(); return 'allowed'; } catch (e) { return e instanceof TypeError; } })];");
        Assert.Equal("""[null,null,true,"function",true,true,true,true]""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_ApprovalDenied_IsCatchable()
    {
        var (outcome, _) = await Run("try { await tools.t.guarded({}); return 'ran'; } catch (e) { return e.code; }", approvals: FixedApprovalService.DenyAll);
        Assert.Equal("approval_denied", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Run_ResultArrays_EveryElementReadOnlyWithItsValue_AndTheLengthFixed()
    {
        // Large arrays too: an engine may freeze a long array another way than a short one (Jint moves it to sparse storage).
        var (outcome, _) = await Run(
            "'use strict'; const r = await tools.t.echo({ v: Array.from({ length: 300 }, (_, i) => i + 0.5) });\n"
            + "const tries = [() => { r.v[0] = 1; }, () => { r.v.push(1); }, () => { r.v.length = 0; }, () => { delete r.v[5]; }, () => { r.v.sort((a, b) => b - a); }];\n"
            + "const d = Object.getOwnPropertyDescriptor(r.v, 299);\n"
            + "return [r.v.length, r.v[0], r.v[299], r.v.every((x, i) => x === i + 0.5), d.writable, d.enumerable, d.configurable,\n"
            + "  Object.getOwnPropertyDescriptor(r.v, 'length').writable, Object.isFrozen(r.v), Object.keys(r.v).length,\n"
            + "  ...tries.map(t => { try { t(); return 'allowed'; } catch (e) { return e instanceof TypeError; } }), r.v[0], r.v.length];");
        Assert.Equal("[300,0.5,299.5,true,false,true,false,false,true,300,true,true,true,true,true,0.5,300]", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_ResultsAreFrozen()
    {
        var (outcome, _) = await Run("'use strict'; const r = await tools.t.echo({a: {b: 1}}); try { r.a.b = 2; return 'mutated'; } catch (e) { return Object.isFrozen(r.a); }");
        Assert.True(outcome.Value!.GetValue<bool>());
    }

    [Theory]
    [InlineData("typeof SharedArrayBuffer")]
    [InlineData("typeof Atomics")]
    [InlineData("typeof ShadowRealm")]
    [InlineData("typeof WebAssembly")]
    [InlineData("typeof require")]
    [InlineData("typeof process")]
    [InlineData("typeof tools.then")]
    [InlineData("typeof tools.toJSON")]
    [InlineData("typeof tools[Symbol.iterator]")]
    [InlineData("typeof tools.t.then")]
    public async Task Run_ForbiddenOrProbedNames_AreUndefined(string expression)
    {
        var (outcome, _) = await Run($"return {expression};");
        Assert.Equal("undefined", outcome.Value!.GetValue<string>());
    }

    [Theory]
    [InlineData("(function(){}).constructor('return 1')()")]
    [InlineData("(async function(){}).constructor('return 1')")]
    [InlineData("(function*(){}).constructor('yield 1')")]
    [InlineData("(async function*(){}).constructor('yield 1')")]
    [InlineData("eval('1')")]
    [InlineData("new Function('return 1')")]
    [InlineData("globalThis['ev' + 'al']('1')")]
    [InlineData("(0, globalThis.eval)('1')")]
    public async Task Run_StringCompilation_IsBlocked(string expression)
    {
        var (outcome, _) = await Run($"try {{ {expression}; return 'escaped'; }} catch (e) {{ return 'blocked'; }}");
        Assert.Equal("blocked", outcome.Value!.GetValue<string>());
    }

    [Theory]
    [InlineData("tools.t = 1")]
    [InlineData("delete tools.t")]
    [InlineData("Object.defineProperty(tools, 'x', { value: 1 })")]
    [InlineData("tools.t.echo = null")]
    [InlineData("context.scriptId = 'x'")]
    [InlineData("context.limits.maxToolCalls = 1e9")]
    [InlineData("globalThis.tools = {}")]
    public async Task Run_WritesToToolsOrContext_Fail(string statement)
    {
        var (outcome, _) = await Run($"'use strict'; try {{ {statement}; return 'written'; }} catch (e) {{ return 'refused'; }}");
        Assert.Equal("refused", outcome.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Run_Context_ExposesIdsAndLimits()
    {
        var (outcome, _) = await Run("return [context.conversationId, context.scriptId, context.mode, context.limits.maxToolCalls, Object.isFrozen(context)];");
        Assert.Equal("""["c1","t1/s0","enabled",32,true]""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task Run_Console_IsCapturedAndCapped()
    {
        var limits = ScriptLimits.Default with { MaxLogEntries = 5 };
        var (outcome, bridge) = await Run("console.log('a', {b: 1}); console.warn('w'); for (let i = 0; i < 100; i++) console.log(i); return 1;", limits);
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var logs = bridge.Console.Logs;
        Assert.Equal(5, logs.Count);
        Assert.Equal("a {\"b\":1}", logs[0].Message);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logs[1].Level);
        Assert.Equal(97, bridge.Console.DroppedLogs);
    }

    [Fact]
    public async Task Run_HugeReturnValue_IsTypedErrorWithValidJsonPreview()
    {
        var (outcome, _) = await Run("return 'x'.repeat(10 * 1024 * 1024);", ScriptLimits.Default with { MemoryBytes = 256L * 1024 * 1024 });
        Assert.Equal(ScriptErrorCode.ReturnValueTooLarge, outcome.Error!.Code);
        Assert.NotNull(outcome.Value);
        Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(outcome.Value!.ToJsonString()));
    }

    [Fact]
    public async Task Run_BigIntReturn_IsSerializationFailed()
    {
        var error = await RunError("return { n: 1n };");
        Assert.Equal(ScriptErrorCode.SerializationFailed, error.Code);
    }

    [Fact]
    public async Task Run_HostCancellation_EndsWithCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var (outcome, _) = await Run("await tools.t.delay({ms: 10000}); return 1;", ScriptLimits.Default, ct: cts.Token);
        Assert.Equal(ScriptErrorCode.Cancelled, outcome.Error!.Code);
    }

    [Fact]
    public async Task Run_HostCancellationDuringLoop_EndsWithCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var (outcome, _) = await Run("while (true) {}", ScriptLimits.Default, ct: cts.Token);
        Assert.Equal(ScriptErrorCode.Cancelled, outcome.Error!.Code);
    }

    [Fact]
    public async Task Run_UnawaitedCall_IsCancelledAfterGraceAndReported()
    {
        var limits = ScriptLimits.Default with { GracePeriod = TimeSpan.FromMilliseconds(50) };
        var (outcome, bridge) = await Run("tools.t.delay({ms: 5000}); return 'done';", limits);
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("done", outcome.Value!.GetValue<string>());
        Assert.Equal(["t1/s0#1"], bridge.Seal());
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(4), $"waited for the detached call: {outcome.Duration}");
    }

    [Fact]
    public async Task Run_GlobalsFromOneScript_AreNotSeenByTheNext()
    {
        await Run("globalThis.leak = 1; Object.prototype.polluted = true; Array.prototype.push = null;");
        var (outcome, _) = await Run("return [typeof leak, ({}).polluted === undefined, typeof [].push];");
        Assert.Equal("""["undefined",true,"function"]""", outcome.Value!.ToJsonString());
    }
}
