using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>Arguments: only plain JSON leaves the engine, and only what matches the schema reaches a handler.</content>
internal static partial class ToolScenarios
{
    private static IEnumerable<ConformanceScenario> Arguments() =>
    [
        Refused("TOOL-020", "a wrong type never reaches the handler", "{ name: 5, count: 1 }"),
        Refused("TOOL-021", "a missing required argument never reaches the handler", "{ name: 'a' }"),
        Refused("TOOL-022", "an unknown extra argument never reaches the handler", "{ name: 'a', count: 1, extra: true }"),
        Refused("TOOL-023", "a string over its maxLength never reaches the handler", "{ name: 'x'.repeat(17), count: 1 }"),
        Refused("TOOL-024", "a number out of range never reaches the handler", "{ name: 'a', count: 101 }"),
        Refused("TOOL-025", "a fraction for an integer never reaches the handler", "{ name: 'a', count: 1.5 }"),
        Refused("TOOL-026", "an array for an object never reaches the handler", "[1, 2]"),
        Refused("TOOL-027", "a number for an object never reaches the handler", "5"),
        Refused("TOOL-028", "a function inside the arguments is refused inside the engine", "{ name: 'a', count: 1, f() { return 1; } }", inEngine: true),
        Refused("TOOL-029", "a BigInt inside the arguments is refused inside the engine", "{ name: 'a', count: 1n }", inEngine: true),
        Refused("TOOL-030", "a cyclic argument object is refused inside the engine", "(() => { const o = { name: 'a', count: 1 }; o.o = o; return o; })()", inEngine: true),
        Refused("TOOL-031", "a symbol value inside the arguments is refused inside the engine", "{ name: Symbol('a'), count: 1 }", inEngine: true),
        Script("TOOL-032", "valid arguments reach the handler once, as sent",
            "return await tools.conf.strict({ name: 'ok', count: 3 });",
            Expect.Returns("""{"name":"ok","count":3}""").And("the handler ran once", o => Expect.That(o.Probe.HandlerRuns(ConformanceToolSet.Strict) == 1, "handler runs: " + o.Probe.HandlerRuns(ConformanceToolSet.Strict))),
            ConformanceToolSet.Strict),
        Script("TOOL-033", "arguments are copied at call time: later changes do not reach the tool",
            "const a = { v: 1, list: [1] };\nconst p = tools.conf.record(a);\na.v = 2; a.list.push(2);\nawait p;\nreturn 'sent';",
            Expect.Returns("\"sent\"").And("the tool saw the original", o => Expect.That(o.Probe.Recorded is ["{\"v\":1,\"list\":[1]}"], "recorded: " + string.Join(" | ", o.Probe.Recorded))),
            ConformanceToolSet.Record),
        Script("TOOL-034", "arguments follow JSON rules: undefined dropped, NaN and Infinity as null, Dates as ISO text",
            "return await tools.test.echo({ u: undefined, n: NaN, i: -Infinity, d: new Date(0) });",
            Expect.Returns("""{"n":null,"i":null,"d":"1970-01-01T00:00:00.000Z"}"""), ConformanceToolSet.Echo),
        Script("TOOL-036", "arguments nested 100 levels deep reach the tool whole or are refused with tool_validation_failed",
            "let a = { leaf: 1 };\nfor (let i = 1; i < 100; i++) a = { a };\n"
            + "try { let r = await tools.test.echo(a); let depth = 1; while (r.a) { r = r.a; depth++; } return 'depth ' + depth; } catch (e) { return e.code; }",
            Expect.Ok("the whole arguments, or a catchable tool_validation_failed", o =>
                Expect.That(Expect.Text(o) is "depth 100" or "tool_validation_failed", "got " + Expect.Json(o))),
            ConformanceToolSet.Echo),
        Script("TOOL-035", "non-ASCII, emoji and escapes survive the round trip",
            "const s = 'naïve — 日本語 😀 \\u0000 \\\\ \"q\" </tool-calls>';\nconst r = await tools.test.echo({ s });\nreturn r.s === s;",
            Expect.Returns("true"), ConformanceToolSet.Echo),
    ];

    // Every bad call is caught by the script; the handler must never run, and refusals inside the engine never reach the host.
    private static ConformanceScenario Refused(string id, string title, string args, bool inEngine = false) =>
        Script(id, title, $"try {{ await tools.conf.strict({args}); return 'accepted'; }} catch (e) {{ return e.code; }}",
            Expect.Returns("\"tool_validation_failed\"").And("the handler never ran", o =>
                Expect.That(o.Probe.HandlerRuns(ConformanceToolSet.Strict) == 0, "the handler ran")
                ?? Expect.That(!inEngine || o.Final.ToolCalls == 0, $"{o.Final.ToolCalls} call(s) reached the host")),
            ConformanceToolSet.Strict);
}
