using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>Results: frozen copies, big and deep ones, and results the host cannot even write.</content>
internal static partial class ToolScenarios
{
    private static IEnumerable<ConformanceScenario> Results() =>
    [
        Script("TOOL-040", "results are deep-frozen copies",
            "'use strict';\nconst r = await tools.test.echo({ a: { b: [1] } });\nconst tries = [() => { r.a.b.push(2); }, () => { r.a.c = 1; }, () => { delete r.a; }];\n"
            + "return tries.map(t => { try { t(); return 'changed'; } catch (e) { return e.name; } });",
            Expect.Returns("""["TypeError","TypeError","TypeError"]"""), ConformanceToolSet.Echo),
        Script("TOOL-041", "a 512 KiB result arrives whole",
            "const r = await tools.conf.big({ kb: 512 });\nreturn [r.kb, r.items.length, r.items[511].length];",
            Expect.Returns("[512,512,1014]"), ConformanceToolSet.Big),
        Script("TOOL-042", "a result nested 40 levels deep arrives whole",
            "let n = await tools.conf.deep({ depth: 40 });\nlet depth = 1;\nwhile (n.d) { n = n.d; depth++; }\nreturn [depth, n.leaf];",
            Expect.Returns("[40,true]"), ConformanceToolSet.Deep),
        Script("TOOL-043", "a result nested 200 levels deep arrives whole or fails as a catchable tool error",
            "try {\n  let n = await tools.conf.deep({ depth: 200 });\n  let depth = 1;\n  while (n.d) { n = n.d; depth++; }\n  return 'depth ' + depth;\n} catch (e) { return e.code; }",
            Expect.Ok("the whole result, or a catchable tool_execution_failed", o =>
                Expect.That(Expect.Text(o) is "depth 200" or "tool_execution_failed", "got " + Expect.Json(o))).Within(10),
            ConformanceToolSet.Deep),
        Script("TOOL-044", "a result the host cannot write as JSON fails as a catchable tool_execution_failed",
            "try { await tools.conf.unserializable({}); return 'delivered'; } catch (e) { return e.code; }",
            Expect.Returns("\"tool_execution_failed\"").Within(10), ConformanceToolSet.Unserializable),
        Script("TOOL-045", "results keep JSON number fidelity",
            "const r = await tools.test.echo({ big: 9007199254740991, neg: -0.5, exp: 1e21, tiny: 5e-324 });\nreturn [r.big === 2 ** 53 - 1, r.neg, r.exp === 1e21, r.tiny > 0];",
            Expect.Returns("[true,-0.5,true,true]"), ConformanceToolSet.Echo),
        Script("TOOL-046", "a result holding NaN or Infinity fails as a catchable tool_execution_failed without host text, on every path",
            "const out = [];\nfor (const kind of ['nan', 'infinity', 'negative', 'float', 'clr']) {\n"
            + "  try { out.push(['delivered', JSON.stringify(await tools.conf.nonfinite({ kind }))]); }\n"
            + "  catch (e) { out.push([e.code ?? 'no code', /System\\.|Exception|\\.NET|JsonNumberHandling/.test(e.message)]); }\n}\nreturn out;",
            Expect.Returns(string.Concat("[", string.Join(",", Enumerable.Repeat("""["tool_execution_failed",false]""", 5)), "]")), ConformanceToolSet.NonFinite),
    ];
}
