using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// Text JavaScript can make but Unicode cannot carry (a lone surrogate): refused in tool arguments, U+FFFD in results
/// and return values, and every output form writes and reads it back.
/// </content>
internal static partial class ToolScenarios
{
    private static IEnumerable<ConformanceScenario> Text() =>
    [
        Script("TOOL-070", "a tool argument holding a lone surrogate is refused with tool_validation_failed, never reaching the tool",
            "const codes = [];\nfor (const a of [{ s: 'a\\ud800b' }, { ['\\udc00']: 1 }, { list: ['ok', '\\ud800'] }, new String('\\ud800')]) {\n"
            + "  try { await tools.conf.record(a); codes.push('accepted'); } catch (e) { codes.push(e.code); }\n}\nreturn codes;",
            Expect.Returns("""["tool_validation_failed","tool_validation_failed","tool_validation_failed","tool_validation_failed"]""")
                .And("nothing reached the tool", o => Expect.That(o.Probe.HandlerRuns(ConformanceToolSet.Record) == 0, "the handler ran")),
            ConformanceToolSet.Record),
        Script("TOOL-071", "text with a lone surrogate from a tool reaches the script as U+FFFD",
            "const a = await tools.conf.surrogate({ form: 'clr' });\nconst b = await tools.conf.surrogate({ form: 'parsed' });\n"
            + "return [a.charCodeAt(1), b.s.charCodeAt(1), b.list[0].charCodeAt(0), a === b.s];",
            Expect.Returns("[65533,65533,65533,true]"), ConformanceToolSet.Surrogate),
        Script("TOOL-072", "a lone surrogate returned, logged or thrown comes out as U+FFFD and every output form writes it",
            "console.log('log \\ud800');\nconst r = await tools.conf.surrogate({ form: 'parsed' });\nreturn { v: '\\ud800', k: { ['x\\udc00']: 1 }, r };",
            Expect.Returns("""{"v":"\uFFFD","k":{"x\uFFFD":1},"r":{"s":"a\uFFFDb","list":["\uFFFD"]}}""")
                .And("the log holds U+FFFD", o => Expect.That(o.Final.Logs is [{ Message: "log \uFFFD" }], "logs: " + string.Join(" | ", o.Final.Logs.Select(l => l.Message))))
                .And("JSON, MessagePack and text write it and read it back", Expect.Serializes),
            ConformanceToolSet.Surrogate),
        Script("TOOL-073", "an error message with a lone surrogate is written by every output form",
            $"console.log('{Expect.Marker}');\nthrow new Error('bad \\ud800 text');",
            Expect.Fails(ScriptErrorCode.RuntimeError).And("JSON, MessagePack and text write it and read it back", Expect.Serializes)),
    ];
}
