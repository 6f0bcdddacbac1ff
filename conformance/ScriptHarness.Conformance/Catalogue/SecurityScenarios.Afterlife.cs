using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// <c>SEC-090</c>…: nothing of a finished script runs again. A script leaves finalization callbacks behind (the one
/// way engine code can be scheduled past the script's end) and returns; later scripts on the same harness make
/// garbage until a collection would run them, and must see nothing of them: no log, no tool call, no lost time.
/// </content>
internal static partial class SecurityScenarios
{
    // Garbage, and the registered targets with it, become collectable: a collection in this script would schedule the
    // dead script's callbacks. Small objects, so the memory limit of no engine is reached: Jint counts every byte
    // allocated, ~240 bytes an iteration, and two rounds of 200,000 sat right at the 96 MiB default (a tool result
    // read on the worker's side tipped jint-process over it).
    private const string MakeGarbage = "for (let i = 0, junk = null; i < 100000; i++) junk = { i, s: 'g' + i };\n";

    private const string Innocent = MakeGarbage
        + "const slept = await tools.test.sleep({ ms: 20 });\n"
        + MakeGarbage
        + "return slept.slept === 20 ? 'innocent' : slept;";

    internal static IEnumerable<ConformanceScenario> Afterlife() =>
    [
        Ghost("SEC-090", "a finished script's finalization callbacks never log, report progress or call tools in a later script",
            "console.log('ghost');\ncontext.progress('ghost');\ntools.test.echo({ ghost: held }).then((r) => console.log('ghost got ' + JSON.stringify(r)));"),
        Ghost("SEC-091", "a finished script's finalization callback that never returns does not hold up a later script",
            "for (;;) {}", ShortTimeout(3), ownMayFail: true),
        new ConformanceScenario
        {
            Id = "SEC-092",
            Title = "a finalization callback of the running script still runs within it",
            Script = "let ran = 0;\nconst registry = new FinalizationRegistry(() => { ran++; });\n"
                + "(function () { for (let i = 0; i < 200; i++) registry.register({ i }, i); })();\n"
                + "return [typeof FinalizationRegistry, registry instanceof FinalizationRegistry, Object.getPrototypeOf(registry) === FinalizationRegistry.prototype,\n"
                + "  FinalizationRegistry.prototype.constructor === FinalizationRegistry, typeof registry.register, registry.unregister({}), ran >= 0];",
            Expect = Expect.Returns("""["function",true,true,true,"function",false,true]"""),
        },
        Script("SEC-093", "a resizable ArrayBuffer cannot grow past the memory limit",
            $"console.log('{Expect.Marker}');\nconst b = new ArrayBuffer(0, {{ maxByteLength: 64 * 2 ** 20 }});\nb.resize(64 * 2 ** 20);\n"
            + "new Uint8Array(b).fill(1);\nreturn b.byteLength;",
            Expect.Fails(ScriptErrorCode.MemoryLimit)) with { Limits = SmallMemory },
        Script("SEC-094", "resizable ArrayBuffers each under the memory limit cannot together grow past it",
            $"const all = [];\nconsole.log('{Expect.Marker}');\nfor (let i = 0; i < 8; i++) {{\n"
            + "  const b = new ArrayBuffer(0, { maxByteLength: 8 * 2 ** 20 });\n  b.resize(8 * 2 ** 20);\n  new Uint8Array(b).fill(1);\n  all.push(b);\n}\n"
            + "return all.reduce((n, b) => n + b.byteLength, 0);",
            Expect.Fails(ScriptErrorCode.MemoryLimit)) with { Limits = SmallMemory },
        Script("SEC-095", "a resizable ArrayBuffer within the memory limit works, and transfer keeps its bound",
            "const b = new ArrayBuffer(8, { maxByteLength: 1024 });\nb.resize(512);\nconst t = b.transfer();\nconst seen = [b.detached, t.resizable, t.maxByteLength, t.byteLength];\n"
            + "const f = t.transferToFixedLength(16);\nlet over = 'allowed';\ntry { f.resize(32); } catch (e) { over = e.name; }\n"
            + "return [...seen, f.resizable, f.byteLength, over];",
            Expect.Returns("""[true,true,1024,512,false,16,"TypeError"]""")) with { Limits = SmallMemory },
        Script("SEC-096", "host functions show no source, only function name() { [native code] }",
            "const shown = [tools.test.echo, tools.test, console.log, console.error, context.progress, Object.getPrototypeOf(tools.test.echo)]\n"
            + "  .map((f) => { try { return Object.getPrototypeOf(() => 0).toString.call(f); } catch (e) { return 'refused'; } });\n"
            + "const leaks = shown.filter((s) => s !== 'refused' && !/^function [\\w$.]*\\(\\) \\{ \\[native code\\] \\}$/.test(s));\n"
            + "return { leaks, sample: String(tools.test.echo) };",
            Expect.Ok("every host function reads as native code", o => Expect.That(Expect.Json(o).StartsWith("{\"leaks\":[]", StringComparison.Ordinal), $"shown: {Expect.Json(o)}")),
            ConformanceToolSet.Echo),
        Script("SEC-097", "stacks of errors raised by host functions show script frames only",
            "const stacks = [];\n"
            + "try { await tools.test.echo({ f: () => 1 }); } catch (e) { stacks.push(String(e.stack)); }\n"
            + "try { await tools.test.echo(1n); } catch (e) { stacks.push(String(e.stack)); }\n"
            + "try { console.log({ toString() { throw new Error('inner'); } }); await tools.nope.none(); } catch (e) { stacks.push(String(e.stack)); }\n"
            + "const frames = stacks.join('\\n').split('\\n').filter((l) => /^\\s*at /.test(l));\n"
            + "return { foreign: frames.filter((l) => !/\\bscript\\b/.test(l) || /prelude|adapter|lockdown|EngineInternal|V8ScriptEngine/.test(l)), count: stacks.length };",
            Expect.Ok("no frame outside the script", o => Expect.That(Expect.Json(o) == "{\"foreign\":[],\"count\":3}", $"stacks: {Expect.Json(o)}")),
            ConformanceToolSet.Echo),
        Rejected("SEC-098", "EngineInternal by name is refused by the parser", "return typeof EngineInternal;"),
        new ConformanceScenario
        {
            // Thousands of callbacks calling tools at once: a process worker once forwarded them all, and the host took
            // the flood of call frames for a broken worker and killed it (engine_crashed). The budget holds them.
            Id = "SEC-099",
            Title = "a script's finalization callbacks calling tools by the thousand meet the tool budget, not a crash",
            Script = "globalThis.keep = new FinalizationRegistry((held) => { tools.test.echo({ held }).catch(() => 0); });\n"
                + "(function () { for (let i = 0; i < 3000; i++) keep.register({ i }, 'x' + i); })();\n"
                + MakeGarbage
                + "try { await tools.test.sleep({ ms: 20 }); } catch (e) { return e.code; }\nreturn 'slept';",
            Tools = [ConformanceToolSet.Echo, ConformanceToolSet.Sleep],
            Expect = Expect.Ok("the script ends itself, its calls within the budget", o => Expect.That(
                Expect.Json(o) is "\"slept\"" or "\"tool_budget_exceeded\"" && o.Final.ToolCalls <= ScriptLimits.Default.MaxToolCalls,
                $"ended {ScenarioCheckText(o.Final)} after {o.Final.ToolCalls} tool calls")),
        },
    ];

    // Under a 16 MiB limit a 64 MiB buffer is far past it, yet small enough for the host if a cap does not hold.
    private static readonly ScriptLimits SmallMemory = ScriptLimits.Default with { MemoryBytes = 16 * 1024 * 1024 };

    // ownMayFail: an engine may run a callback within the script that registered it (Jint does, when its collector
    // runs during that script): looping there is that script's own timeout, not a later script's.
    private static ConformanceScenario Ghost(string id, string title, string callback, ScriptLimits? limits = null, bool ownMayFail = false) => new()
    {
        Id = id,
        Title = title,
        Script = $"globalThis.keep = new FinalizationRegistry((held) => {{\n{callback}\n}});\n"
            + "(function () { for (let i = 0; i < 2000; i++) keep.register({ i }, 'x' + i); })();\n"
            + "return 'registered';",
        FollowUps = [Innocent, Innocent, Innocent, Innocent],
        Tools = [ConformanceToolSet.Echo, ConformanceToolSet.Sleep],
        Limits = limits,
        Expect = (Expect.Returns("\"innocent\"").Within(30).And("no later script saw the finished script's callbacks", o =>
            Expect.That(o.Outcomes[0].Value?.ToJsonString() == "\"registered\"" || (ownMayFail && o.Outcomes[0].Error?.Code == ScriptErrorCode.Timeout),
                $"the first script ended {ScenarioCheckText(o.Outcomes[0])}")
            ?? Expect.That(o.Outcomes.Skip(1).All(r => r.Status == ScriptStatus.Ok && r.ToolCalls == 1 && r.Logs.Count == 0),
                "a later script ended otherwise than ok with exactly its own tool call and no log: "
                + string.Join(", ", o.Outcomes.Skip(1).Select(r => $"{r.Status} {r.Error?.WireCode} calls={r.ToolCalls} logs={r.Logs.Count}"))))) with { EarlierMayFail = ownMayFail },
    };

    private static string ScenarioCheckText(ScriptOutcome outcome) =>
        outcome.Value?.ToJsonString() ?? outcome.Error?.ToString() ?? outcome.Status.ToString();
}
