using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>Ordering: microtasks by the spec, tool calls by completion, async iteration over tool calls.</content>
internal static partial class PromiseScenarios
{
    private static IEnumerable<ConformanceScenario> Ordering() =>
    [
        Script("PROM-020", "microtasks run in specification order",
            "const log = [];\nPromise.resolve().then(() => log.push('a')).then(() => log.push('c'));\nPromise.resolve().then(() => log.push('b'));\n"
            + "log.push('sync');\nawait null; await null; await null;\nreturn log;",
            Expect.Returns("""["sync","a","b","c"]""")),
        Script("PROM-021", "tool calls settle in completion order, not call order",
            "const order = [];\nawait Promise.all([\n  tools.test.sleep({ ms: 300 }).then(() => order.push('slow')),\n  tools.test.sleep({ ms: 10 }).then(() => order.push('fast')),\n]);\nreturn order;",
            Expect.Returns("""["fast","slow"]"""), ConformanceToolSet.Sleep),
        Script("PROM-022", "awaiting a thenable object uses its then",
            "return await { then(resolve) { resolve(42); } };", Expect.Returns("42")),
        Script("PROM-023", "an async generator of tool calls, consumed with for await",
            "async function* pages() { for (let p = 1; p <= 3; p++) yield (await tools.test.echo({ p })).p; }\n"
            + "const seen = [];\nfor await (const p of pages()) seen.push(p);\nreturn seen;",
            Expect.Returns("[1,2,3]"), ConformanceToolSet.Echo),
        Script("PROM-024", "try/catch/finally around awaited calls runs in order",
            "const log = [];\ntry { log.push('try'); await tools.test.fail({ message: 'x' }); log.push('unreached'); }\n"
            + "catch (e) { log.push('catch ' + e.code); await tools.test.echo({}); }\nfinally { log.push('finally'); }\nreturn log;",
            Expect.Returns("""["try","catch tool_execution_failed","finally"]"""), ConformanceToolSet.Fail, ConformanceToolSet.Echo),
        Script("PROM-025", "a chain of 1,000 promises resolves",
            "let p = Promise.resolve(0);\nfor (let i = 0; i < 1000; i++) p = p.then(v => v + 1);\nreturn await p;", Expect.Returns("1000")),
    ];
}
