using System.Text.Json.Nodes;
using ScriptHarness.Conformance.Tools;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// Execution: handlers written carelessly — deaf to their cancellation token, or blocking their thread — must not hold
/// a call past its time limit, a script past its own, nor the harness for anyone else.
/// </content>
internal static partial class ToolScenarios
{
    private static readonly ScriptLimits StubbornLimits = ScriptLimits.Default with
    {
        ToolTimeout = TimeSpan.FromMilliseconds(300),
        MaxConcurrentToolCalls = 16,
    };

    private static IEnumerable<ConformanceScenario> Execution() =>
    [
        Script("TOOL-013", "a tool that ignores cancellation fails with tool_execution_failed at its time limit; its late result is dropped",
            "try { await tools.conf.stubborn({ ms: 15000 }); return 'delivered'; } catch (e) { return [e.code, /timed out/.test(e.message)]; }",
            Expect.Returns("""["tool_execution_failed",true]""").Within(5), ConformanceToolSet.Stubborn) with { Limits = StubbornLimits },
        new ConformanceScenario
        {
            Id = "TOOL-014",
            Title = "tools that ignore cancellation do not wedge the harness: later calls of the same and of the next script run",
            // 16 is the harness's default MaxConcurrentToolExecutions: every slot is taken by a handler that never listens.
            Script = "const settled = await Promise.allSettled(Array.from({ length: 16 }, () => tools.conf.stubborn({ ms: 12000 })));\n"
                + "const codes = [...new Set(settled.map(s => s.status === 'rejected' ? s.reason.code : 'delivered'))];\n"
                + "const echo = await tools.test.echo({ after: true });\nreturn [codes, echo.after];",
            FollowUps = ["return (await tools.test.echo({ again: 1 })).again;"],
            Tools = [ConformanceToolSet.Stubborn, ConformanceToolSet.Echo],
            Limits = StubbornLimits,
            Expect = Expect.Returns("1").Within(5).And("every stubborn call timed out and the echo after them ran", o =>
                Expect.That(JsonNode.DeepEquals(o.Outcomes[0].Value, JsonNode.Parse("""[["tool_execution_failed"],true]""")),
                    "the first script ended " + (o.Outcomes[0].Value?.ToJsonString() ?? o.Outcomes[0].Error?.ToString() ?? "with nothing"))),
        },
        Script("TOOL-015", "a tool that blocks its thread does not block the script: it goes on and returns while the call is still running",
            "const stuck = tools.conf.block({ ms: 6000 });\nconst echo = await tools.test.echo({ free: true });\nreturn echo.free;",
            Expect.Returns("true").Within(5), ConformanceToolSet.Block, ConformanceToolSet.Echo) with { Limits = ShortTimeout(2) },
        new ConformanceScenario
        {
            Id = "TOOL-016",
            Title = "scripts stuck in a blocking tool end at their own time limit and do not hold up the other scripts of the reply",
            // Four times as many stuck scripts as run at once (MaxParallelScripts 4), then one that needs nothing but a
            // thread: four waves of 0.5 s limits (plus the 0.25 s grace period) take 3 s, where engine threads held by
            // the handlers until the engines' watchdog gives up (the limit plus 2 s) take 10 s.
            Reply = string.Concat(Enumerable.Repeat("<tool-calls>\nawait tools.conf.block({ ms: 10000 });\n</tool-calls>\n", 16))
                + "<tool-calls>\nreturn 'quick';\n</tool-calls>",
            Tools = [ConformanceToolSet.Block],
            Limits = ShortTimeout(0.5),
            Expect = (Expect.Returns("\"quick\"").Within(6) with { EarlierMayFail = true }).And("every stuck script ended with timeout", o =>
                Expect.That(o.Outcomes.Take(16).All(x => x.Error?.Code == ScriptErrorCode.Timeout),
                    "earlier scripts ended " + string.Join(", ", o.Outcomes.Take(16).Select(x => x.Error?.WireCode ?? "ok")))),
        },
        Script("TOOL-017", "a tool that runs a reply on the same harness gets its result at every depth up to MaxNestingDepth (4), and nesting_limit_exceeded past it",
            // Five scripts hold their engine thread, runtime or worker at once, each waiting for the next: more than a
            // pool of four has, had the nested ones to queue behind their ancestors. Under Process isolation each level
            // may have to start a worker (seconds each on a loaded machine): hence the bound.
            "return [await tools.conf.nested({ levels: 4 }), await tools.conf.nested({ levels: 5 })];",
            Expect.Returns("[{\"depth\":4},{\"code\":\"nesting_limit_exceeded\"}]").Within(50), ConformanceToolSet.Nested) with { Limits = NestedLimits },
        Script("TOOL-018", "nested replies never wait for a tool slot their ancestors hold: three in parallel with one tool slot and one script at a time",
            "return await Promise.all([1, 2, 3].map(() => tools.conf.nested({ levels: 2 })));",
            Expect.Returns("[{\"depth\":2},{\"depth\":2},{\"depth\":2}]").Within(30), ConformanceToolSet.Nested)
            with { Limits = NestedLimits, Harness = new ScriptHarnessOptions { MaxParallelScripts = 1, MaxConcurrentToolExecutions = 1 } },
    ];

    // A chain of nested replies may start a worker process per level under Process isolation: time for a loaded machine.
    private static readonly ScriptLimits NestedLimits = ScriptLimits.Default with
    {
        Timeout = TimeSpan.FromSeconds(60),
        ToolTimeout = TimeSpan.FromSeconds(50),
    };
}
