using System.Text.Json.Nodes;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Engines.Jint;

/// <summary>Regression tests for engine bugs the conformance suite found (scenario ids in the names' comments).</summary>
public sealed class JintBoundaryRegressionTests
{
    private static readonly JintEngineFactory Engine = new();
    private static readonly JsonObject AnyObject = new() { ["type"] = "object" };

    private static ToolDefinition Returning(string name, Func<Task<JsonNode?>> result) =>
        new(name, "returns a fixed node", (JsonObject)AnyObject.DeepClone(), async (_, _, _) => await result());

    [Fact]
    public async Task Run_ToolResultThatCannotBeWrittenAsJson_IsACatchableToolFailure()
    {
        // TOOL-044: the result used to escape into the engine as harness_internal (sync) or leave the call pending forever (async).
        var registry = new ToolRegistry(
        [
            Returning("t.now", () => Task.FromResult<JsonNode?>(new JsonObject { ["type"] = JsonValue.Create(typeof(string)) })),
            Returning("t.later", async () => { await Task.Yield(); return new JsonObject { ["type"] = JsonValue.Create(typeof(string)) }; }),
        ]);
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine,
            "const codes = [];\nfor (const call of [() => tools.t.now({}), () => tools.t.later({})]) { try { await call(); } catch (e) { codes.push(e.code); } }\nreturn codes;",
            ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(5) }, registry);
        Assert.Equal("""["tool_execution_failed","tool_execution_failed"]""", outcome.Value?.ToJsonString());
    }

    [Fact]
    public async Task Run_ArgumentsNestedPastTheJsonDepthLimit_AreToolValidationFailed()
    {
        // TOOL-036: used to be harness_internal.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine,
            "let a = {};\nfor (let i = 0; i < 100; i++) a = { a };\ntry { await tools.t.echo(a); return 'sent'; } catch (e) { return e.code; }");
        Assert.Equal("tool_validation_failed", outcome.Value?.GetValue<string>());
    }

    [Fact]
    public async Task Run_RegExpWithAnEscapeNumberTooLargeForTheParser_IsASyntaxErrorNotAHarnessError()
    {
        // Found by fuzzing the validator: Acornima overflows an Int32 on the escape; at run time Jint let it out as harness_internal.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "const pattern = '\\\\' + '9'.repeat(11);\nreturn new RegExp(pattern).test('9');");
        Assert.Equal(ScriptErrorCode.SyntaxError, outcome.Error?.Code);
        Assert.Contains("escape's number is too large", outcome.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("const o = { valueOf() { return o + 1; } };\nreturn o + 1;")] // DOS-014
    [InlineData("const p = new Proxy({}, { get(t, k, r) { return r[k]; } });\nreturn p.x;")] // DOS-015
    [InlineData("let a = [];\nfor (let i = 0; i < 100000; i++) a = [a];\nreturn String(a).length;")] // join recursing in the built-in
    [InlineData("let a = [];\nfor (let i = 0; i < 100000; i++) a = [a];\nreturn JSON.stringify(a).length;")] // the serializer recursing
    public async Task Run_RecursionThroughRoutesJintDoesNotCount_EndsWithRecursionLimitTheScriptCannotCatch(string source)
    {
        // Jint's call-depth limit counts call expressions only: these used to run to its native-stack guard (a catchable
        // RangeError, 2-3 s of unwinding past the deadline). The stack budget ends them, uncatchable, with its size named.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "try {\n" + source + "\n} catch (e) { return 'caught'; }");

        Assert.Equal(ScriptErrorCode.RecursionLimit, outcome.Error?.Code);
        Assert.Equal("the script exceeded its call stack limit of 2 MB (call depth limit 256 frames)", outcome.Error?.Message);
    }

    [Theory]
    [InlineData("function f(n) { return n === 0 ? 0 : 1 + f(n - 1); }\nreturn f(250);")]
    [InlineData("function f(n) { return n === 0 ? 0 : 1 + [n].map(x => f(x - 1))[0]; }\nreturn f(250);")]
    [InlineData("function f(n) { return n === 0 ? 0 : 1 + [n].reduce((a, x) => a + f(x - 1), 0); }\nreturn f(250);")]
    [InlineData("const o = { get(n) { return n === 0 ? 0 : 1 + ({ get v() { return o.get(n - 1); } }).v; } };\nreturn o.get(250);")]
    [InlineData("let a = [];\nfor (let i = 0; i < 250; i++) a = [a];\nreturn String(a).length + JSON.stringify(a).length - 252;")]
    public async Task Run_RecursionWithinTheCallDepthLimit_IsNotRefusedByTheStackBudget(string source)
    {
        // The budget allows 8 KiB a frame: recursion through callbacks and getters within the depth limit fits.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, source);

        Assert.Null(outcome.Error);
        Assert.Equal(250, outcome.Value?.GetValue<int>());
    }

    [Fact]
    public async Task Run_DeepLimit_PlainRecursionReachesAFractionOfTheThreadsStack_ThenEndsWithRecursionLimit()
    {
        // A depth limit of 10,000 asks for 80 MiB at 8 KiB a frame; the budget stops at 1/64 of the 256 MiB thread
        // (4 MiB), where plain recursion (~1.5 KiB a frame optimized, ~3 KiB before the JIT optimizes Jint) reaches
        // 1,200, and 5,000 is a typed error, not an overflow.
        var limits = ScriptLimits.Default with { MaxRecursionDepth = 10_000, Timeout = TimeSpan.FromSeconds(20) };
        const string Recursion = "function f(n) { return n === 0 ? 0 : 1 + f(n - 1); }\n";

        var (reached, _) = await ScriptRunHelper.RunAsync(Engine, Recursion + "return f(1200);", limits);
        var (refused, _) = await ScriptRunHelper.RunAsync(Engine, Recursion + "return f(5000);", limits);

        Assert.True(reached.Error is null, reached.Error?.Message);
        Assert.Equal(1200, reached.Value?.GetValue<int>());
        Assert.Equal(ScriptErrorCode.RecursionLimit, refused.Error?.Code);
        Assert.Equal("the script exceeded its call stack limit of 4 MB (call depth limit 10000 frames)", refused.Error?.Message);
    }

    [Theory]
    [InlineData(256, 256 * 1024 * 1024, 2 * 1024 * 1024)] // the default: 8 KiB a frame
    [InlineData(8, 256 * 1024 * 1024, 1024 * 1024)] // never below 1 MiB
    [InlineData(10_000, 256 * 1024 * 1024, 4 * 1024 * 1024)] // never past 1/64 of the thread's stack, left for the unwinding
    [InlineData(256, 16 * 1024 * 1024, 256 * 1024)] // a smaller thread: a smaller budget, never a smaller margin
    [InlineData(8, 256 * 1024, 4 * 1024)] // even below the 1 MiB floor
    public void StackBudget_FollowsTheDepthLimitWithinTheThreadsStack(int depth, int threadStack, long expected) =>
        Assert.Equal(expected, ScriptStackConstraint.BudgetFor(ScriptLimits.Default with { MaxRecursionDepth = depth }, threadStack));

    [Fact]
    public async Task Run_JsonParseOfAHundredLevels_Works()
    {
        // LANG-034: Jint stops JSON.parse at 64 levels unless told otherwise.
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "return JSON.stringify(JSON.parse('['.repeat(100) + ']'.repeat(100))).length;");
        Assert.Equal(200, outcome.Value?.GetValue<int>());
    }

    [Fact]
    public async Task Run_RegexLimitLongerThanTheScript_StopsAtTheScriptLimitInsideTheEngine()
    {
        // DOS-010: the match ran on for the whole regex limit after the watchdog had written the thread off.
        var limits = ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(500), RegexTimeout = TimeSpan.FromSeconds(30) };
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "return /^(a+)+$/.test('a'.repeat(40) + 'b');", limits);
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error?.Code);
        Assert.True(outcome.Duration < limits.Timeout + new JintEngineOptions().WatchdogSlack, $"the watchdog, not the engine, ended it: {outcome.Duration}");
    }

    [Fact]
    public async Task Run_RegexTimeout_SaysItWasTheRegularExpression()
    {
        // DOS-009: the message named the script's 25 s limit, not the regex's.
        var limits = ScriptLimits.Default with { RegexTimeout = TimeSpan.FromMilliseconds(100) };
        var (outcome, _) = await ScriptRunHelper.RunAsync(Engine, "return /^(a+)+$/.test('a'.repeat(40) + 'b');", limits);
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error?.Code);
        Assert.Contains("regular expression", outcome.Error?.Message, StringComparison.Ordinal);
    }
}
