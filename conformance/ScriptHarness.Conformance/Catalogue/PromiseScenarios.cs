using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>PROM-</c>: the promise lifecycle of tool calls — the call budget, bounded concurrency (measured by the tool
/// itself), calls left running when the script ends, raced calls, long await chains and ordering.
/// </summary>
internal static partial class PromiseScenarios
{
    public static IEnumerable<ConformanceScenario> All() => [.. Budget(), .. Lifecycle(), .. Ordering()];

    private static IEnumerable<ConformanceScenario> Budget() =>
    [
        Script("PROM-001", "32 tool calls succeed and the 33rd is refused with tool_budget_exceeded",
            "let last;\nfor (let i = 0; i < 32; i++) last = await tools.test.counter();\n"
            + "try { await tools.test.counter(); return 'over budget'; } catch (e) { return [last.count, e.code]; }",
            Expect.Returns("""[32,"tool_budget_exceeded"]""").And("32 calls accepted", o => Expect.That(o.Final.ToolCalls == 32, $"{o.Final.ToolCalls} calls accepted")),
            ConformanceToolSet.Counter),
        Script("PROM-002", "an uncaught 33rd call ends the script with tool_budget_exceeded",
            $"console.log('{Expect.Marker}');\nfor (let i = 0; i < 33; i++) await tools.test.counter();\nreturn 'over budget';",
            Expect.Fails(ToolBudgetExceeded) with { MinToolCalls = 32 }, ConformanceToolSet.Counter),
        Script("PROM-003", "with a budget of 0 the first call is refused",
            $"console.log('{Expect.Marker}');\nawait tools.test.echo({{}});", Expect.Fails(ToolBudgetExceeded), ConformanceToolSet.Echo)
            with { Limits = ScriptLimits.Default with { MaxToolCalls = 0 } },
        Script("PROM-004", "Promise.all of 33 calls rejects with tool_budget_exceeded",
            $"console.log('{Expect.Marker}');\nawait Promise.all(Array.from({{ length: 33 }}, (_, i) => tools.test.echo({{ i }})));",
            Expect.Fails(ToolBudgetExceeded), ConformanceToolSet.Echo),
        Script("PROM-005", "a flood of un-awaited calls is cut at the budget and the script goes on",
            "let refused = 0;\nfor (let i = 0; i < 1000; i++) tools.test.echo({ i }).catch(e => { if (e.code === 'tool_budget_exceeded') refused++; });\n"
            + "await tools.test.echo({}).catch(() => {});\nawait null; await null;\nreturn refused;",
            Expect.Returns("968").And("32 calls accepted", o => Expect.That(o.Final.ToolCalls == 32, $"{o.Final.ToolCalls} calls accepted")),
            ConformanceToolSet.Echo),
        Script("PROM-006", "Promise.all of 10 slow calls never has more than 4 in flight",
            "const rs = await Promise.all(Array.from({ length: 10 }, () => tools.conf.slow({ ms: 150 })));\nreturn rs.length;",
            Expect.Returns("10").And("peak in flight between 2 and 4, all 10 completed", o =>
                Expect.That(o.Probe.PeakInFlight is >= 2 and <= 4, $"peak in flight {o.Probe.PeakInFlight}")
                ?? Expect.That(o.Probe.Completed == 10, $"{o.Probe.Completed} completed")),
            ConformanceToolSet.Slow),
        Script("PROM-007", "with MaxConcurrentToolCalls = 2, never more than 2 calls in flight",
            "await Promise.all(Array.from({ length: 8 }, () => tools.conf.slow({ ms: 100 })));\nreturn 'done';",
            Expect.Returns("\"done\"").And("peak in flight exactly 2", o => Expect.That(o.Probe.PeakInFlight == 2, $"peak in flight {o.Probe.PeakInFlight}")),
            ConformanceToolSet.Slow) with { Limits = ScriptLimits.Default with { MaxConcurrentToolCalls = 2 } },
        Script("PROM-008", "50 sequential awaited calls all complete",
            "let sum = 0;\nfor (let i = 0; i < 50; i++) sum += (await tools.test.echo({ i })).i;\nreturn sum;",
            Expect.Returns("1225").And("50 calls", o => Expect.That(o.Final.ToolCalls == 50, $"{o.Final.ToolCalls} calls")), ConformanceToolSet.Echo)
            with { Limits = ScriptLimits.Default with { MaxToolCalls = 64 } },
    ];

    private static IEnumerable<ConformanceScenario> Lifecycle() =>
    [
        Script("PROM-010", "an un-awaited slow call is cancelled after the grace period and reported as detached_promise",
            "tools.conf.slow({ ms: 20000 });\nreturn 'done';",
            Expect.Returns("\"done\"").Within(8).And("a detached_promise warning, the call cancelled", o =>
                Expect.That(o.Final.Warnings.Any(w => w.Code == DetachedPromise), "no detached_promise warning")
                ?? Expect.That(o.Probe.Cancelled == 1 && o.Probe.Completed == 0, $"{o.Probe.Cancelled} cancelled, {o.Probe.Completed} completed")),
            ConformanceToolSet.Slow),
        Script("PROM-011", "an un-awaited fast call finishes within the grace period, without a warning",
            "tools.conf.record({ late: true });\nreturn 'done';",
            Expect.Returns("\"done\"").And("the call was recorded, no warning", o =>
                Expect.That(o.Probe.Recorded.Count == 1, $"{o.Probe.Recorded.Count} calls recorded")
                ?? Expect.That(o.Final.Warnings.Count == 0, $"warnings: {string.Join(", ", o.Final.Warnings.Select(w => w.WireCode))}")),
            ConformanceToolSet.Record),
        Script("PROM-012", "Promise.race: the winner returns and the losers are cancelled when the script ends",
            "const winner = await Promise.race([tools.conf.slow({ ms: 50 }), tools.conf.slow({ ms: 20000 }), tools.conf.slow({ ms: 20000 })]);\nreturn winner;",
            Expect.Returns("""{"ms":50}""").Within(8).And("2 losers cancelled, reported as detached", o =>
                Expect.That(o.Probe.Cancelled == 2 && o.Probe.Completed == 1, $"{o.Probe.Cancelled} cancelled, {o.Probe.Completed} completed")
                ?? Expect.That(o.Final.Warnings.Any(w => w.Code == DetachedPromise), "no detached_promise warning")),
            ConformanceToolSet.Slow),
        Script("PROM-013", "Promise.all fails fast on a failing call; the slow sibling is cancelled when the script ends",
            "try { await Promise.all([tools.conf.slow({ ms: 20000 }), tools.test.fail({ message: 'first' })]); } catch (e) { return e.code; }",
            Expect.Returns("\"tool_execution_failed\"").Within(8).And("the slow call cancelled", o => Expect.That(o.Probe.Cancelled == 1, $"{o.Probe.Cancelled} cancelled")),
            ConformanceToolSet.Slow, ConformanceToolSet.Fail),
        Script("PROM-014", "Promise.allSettled reports each call's own outcome",
            "const rs = await Promise.allSettled([tools.test.echo({ a: 1 }), tools.test.fail({ message: 'no' }), tools.test.nope({})]);\n"
            + "return rs.map(r => r.status === 'fulfilled' ? r.value.a : r.reason.code);",
            Expect.Returns("""[1,"tool_execution_failed","tool_not_found"]"""), ConformanceToolSet.Echo, ConformanceToolSet.Fail),
        Script("PROM-015", "Promise.any takes the first success past failures",
            "return await Promise.any([tools.test.fail({ message: 'a' }), tools.test.sleep({ ms: 30 }), tools.test.fail({ message: 'b' })]);",
            Expect.Returns("""{"slept":30}"""), ConformanceToolSet.Fail, ConformanceToolSet.Sleep),
        Script("PROM-016", "an un-awaited failing call does not fail the script",
            "tools.test.fail({ message: 'ignored' });\nawait tools.test.echo({});\nreturn 'fine';", Expect.Returns("\"fine\""), ConformanceToolSet.Fail, ConformanceToolSet.Echo),
        Script("PROM-017", "the script's own unhandled rejection does not fail it",
            "Promise.reject(new Error('ignored'));\n(async () => { throw new Error('also ignored'); })();\nreturn 'fine';", Expect.Returns("\"fine\"")),
        Script("PROM-018", "returning a tool call's promise returns its value",
            "return tools.test.echo({ direct: true });", Expect.Returns("""{"direct":true}"""), ConformanceToolSet.Echo),
        Script("PROM-019", "an error thrown after awaits reports the script line it came from",
            $"await tools.test.echo({{}});\nconsole.log('{Expect.Marker}');\nawait null;\nnull.boom;",
            Expect.Fails(RuntimeError).And("the error is on block line 5", o => Expect.That(o.Final.Error!.Line == 5, $"reported on line {o.Final.Error!.Line}")),
            ConformanceToolSet.Echo),
    ];
}
