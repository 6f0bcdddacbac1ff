using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>TOOL-</c>: calling tools — lookup with suggestions, arguments that never reach a handler unless valid JSON
/// matching the schema, failures the script can catch, results of every shape, and the dry-run and disabled modes.
/// </summary>
internal static partial class ToolScenarios
{
    public static IEnumerable<ConformanceScenario> All() => [.. Lookup(), .. Arguments(), .. Results(), .. Text(), .. Execution(), .. State()];

    private static IEnumerable<ConformanceScenario> Lookup() =>
    [
        Script("TOOL-001", "a misspelt tool ends with tool_not_found and suggests the right one",
            $"console.log('{Expect.Marker}');\nawait tools.test.ecko({{}});",
            Expect.Fails(ToolNotFound).And("the message suggests test.echo", o => Expect.That(o.Final.Error!.Message.Contains("test.echo", StringComparison.Ordinal), o.Final.Error.Message)),
            ConformanceToolSet.Echo, ConformanceToolSet.Counter),
        Script("TOOL-002", "a misspelt namespace ends with tool_not_found and suggests the right tool",
            $"console.log('{Expect.Marker}');\nawait tools.tset.echo({{}});",
            Expect.Fails(ToolNotFound).And("the message suggests test.echo", o => Expect.That(o.Final.Error!.Message.Contains("test.echo", StringComparison.Ordinal), o.Final.Error.Message)),
            ConformanceToolSet.Echo),
        Script("TOOL-003", "tool_not_found is catchable, is not counted, and the script goes on",
            "try { await tools.test.missing({}); } catch (e) { const r = await tools.test.echo({ after: e.code }); return r.after; }",
            Expect.Returns("\"tool_not_found\"").And("one call counted", o => Expect.That(o.Final.ToolCalls == 1, $"{o.Final.ToolCalls} calls counted")),
            ConformanceToolSet.Echo),
        Script("TOOL-004", "the tools object lists the registered namespaces and tools",
            "return [Object.keys(tools).sort(), Object.keys(tools.test).sort(), Object.keys(tools.conf).sort()];",
            Expect.Returns("""[["conf","test"],["counter","echo"],["record"]]"""), ConformanceToolSet.Echo, ConformanceToolSet.Counter, ConformanceToolSet.Record),
        Script("TOOL-005", "a tool function works detached from its namespace and with call/apply",
            "const { echo } = tools.test;\nconst a = await echo({ n: 1 });\nconst b = await tools.test.echo.call(null, { n: 2 });\nconst c = await Reflect.apply(echo, undefined, [{ n: 3 }]);\nreturn [a.n, b.n, c.n];",
            Expect.Returns("[1,2,3]"), ConformanceToolSet.Echo),
        Script("TOOL-006", "calls without arguments reach the handler as an empty object",
            "return [await tools.test.echo(), await tools.test.counter()];", Expect.Returns("""[{},{"count":1}]"""), ConformanceToolSet.Echo, ConformanceToolSet.Counter),
        Script("TOOL-007", "a failing tool is catchable and the script goes on",
            "let caught;\ntry { await tools.test.fail({ message: 'boom' }); } catch (e) { caught = [e.code, e.message]; }\nconst after = await tools.test.echo({ ok: true });\nreturn [caught, after.ok];",
            Expect.Returns("""[["tool_execution_failed","boom"],true]"""), ConformanceToolSet.Fail, ConformanceToolSet.Echo),
        Script("TOOL-008", "an uncaught tool failure ends the script with tool_execution_failed and its message",
            $"console.log('{Expect.Marker}');\nawait tools.test.fail({{ message: 'boom' }});",
            Expect.Fails(ToolExecutionFailed).And("the message is the tool's", o => Expect.That(o.Final.Error!.Message == "boom", o.Final.Error.Message)),
            ConformanceToolSet.Fail),
        Script("TOOL-009", "a tool over its time limit fails with tool_execution_failed and its handler is cancelled",
            "try { await tools.conf.slow({ ms: 20000 }); return 'finished'; } catch (e) { return e.code; }",
            Expect.Returns("\"tool_execution_failed\"").And("the handler was cancelled", o => Expect.That(o.Probe.Cancelled == 1, $"{o.Probe.Cancelled} cancelled")),
            ConformanceToolSet.Slow) with { Limits = ScriptLimits.Default with { ToolTimeout = TimeSpan.FromMilliseconds(300) } },
        Script("TOOL-010", "dry-run: handlers are not called and each call returns a dry-run marker",
            "const r = await tools.conf.record({ x: 1 });\nreturn [r.dryRun, r.tool, context.mode];",
            Expect.Returns("""[true,"conf.record","dry-run"]""").And("the handler never ran", o => Expect.That(o.Probe.Recorded.Count == 0, $"{o.Probe.Recorded.Count} calls reached the handler")),
            ConformanceToolSet.Record) with { Mode = ToolMode.DryRun },
        Script("TOOL-011", "dry-run still validates arguments",
            "try { await tools.conf.strict({ name: 5, count: 1 }); return 'accepted'; } catch (e) { return e.code; }",
            Expect.Returns("\"tool_validation_failed\""), ConformanceToolSet.Strict) with { Mode = ToolMode.DryRun },
        new ConformanceScenario
        {
            Id = "TOOL-012",
            Title = "tool mode disabled: blocks are reported skipped and never run",
            Script = "await tools.conf.record({ ran: true });\nreturn 'ran';",
            Tools = [ConformanceToolSet.Record],
            Mode = ToolMode.Disabled,
            Expect = new ScenarioExpectation { Status = ScriptStatus.Skipped }.And("nothing ran", o => Expect.That(o.Probe.Recorded.Count == 0, "the script ran")),
        },
    ];
}
