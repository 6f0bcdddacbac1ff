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
