using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// A limit met deep in generator delegation, async iteration or destructuring, where an engine's own frames may catch
/// and rethrow on the way out (Jint's do, each nesting one more exception dispatch on the stack). Each must end with its
/// typed error and leave the host running the next script: an attack round (2026-12-07) found that each of them ended
/// the host process on Jint, with a .NET stack overflow, in the default configuration.
/// </content>
internal static partial class DenialOfServiceScenarios
{
    private const string Delegating = "async function* g(n) { if (n > 0) yield* g(n - 1); else ";

    private static IEnumerable<ConformanceScenario> Unwinding() =>
    [
        Deep("DOS-103", "recursion through generator delegation (yield*) ends with recursion_limit",
            "function* g(n) { if (n > 0) yield* g(n - 1); else yield 1; }\nreturn [...g(100000)].length;"),
        Deep("DOS-104", "recursion through async generator delegation ends with recursion_limit",
            Delegating + "yield 1; }\nfor await (const x of g(100000)) {}\nreturn 1;"),
        Deep("DOS-105", "generators destructured inside each other end with recursion_limit",
            "function* g(n) { if (n > 0) { const [a] = g(n - 1); } yield 1; }\nconst [z] = g(100000);\nreturn 1;"),
        Deep("DOS-106", "recursion through yield* inside try/finally ends with recursion_limit",
            "function* g(n) { try { if (n > 0) yield* g(n - 1); else yield 1; } finally { } }\nreturn [...g(100000)].length;"),
        Script("DOS-107", "the memory limit met 700 async delegations deep ends with memory_limit",
            $"console.log('{Expect.Marker}');\n" + Delegating + "{ const a = []; for (;;) a.push('x'.repeat(1000) + a.length); } }\nfor await (const x of g(700)) {}\nreturn 1;",
            Expect.Fails(MemoryLimit).Within(30)),
        Script("DOS-108", "the time limit met 700 async delegations deep ends with timeout",
            $"console.log('{Expect.Marker}');\n" + Delegating + "{ for (;;) {} } }\nfor await (const x of g(700)) {}\nreturn 1;",
            Expect.Fails(ScriptErrorCode.Timeout).Within(12)) with { Limits = ShortTimeout(0.5) },
    ];

    private static ConformanceScenario Deep(string id, string title, string attack) =>
        Script(id, title, $"console.log('{Expect.Marker}');\n{attack}", Expect.Fails(RecursionLimit).Within(30)) with
        {
            Requires = EngineCapabilities.RecursionLimitOnEveryRoute,
        };
}
