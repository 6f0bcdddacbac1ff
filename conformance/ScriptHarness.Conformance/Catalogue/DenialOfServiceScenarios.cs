using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>DOS-</c>: denial of service. Each attack must end with its typed error within its bound, and the engine must
/// still run the next script (the runner checks that after every scenario). Where engines legitimately stop the same
/// attack in different ways — an allocation budget versus a heap limit, a string-length RangeError versus a memory
/// limit — the scenario accepts both codes and says so in its title.
/// </summary>
internal static partial class DenialOfServiceScenarios
{
    public static IEnumerable<ConformanceScenario> All() => [.. Time(), .. Unwinding(), .. Memory(), .. Output(), .. Reply()];

    private static IEnumerable<ConformanceScenario> Time() =>
    [
        Runaway("DOS-001", "an infinite loop ends with timeout", "while (true) {}"),
        Runaway("DOS-002", "an infinite loop after an await ends with timeout", "await tools.test.echo({});\nfor (;;) {}", ConformanceToolSet.Echo),
        Runaway("DOS-003", "an infinite loop inside a promise callback ends with timeout",
            "Promise.resolve().then(() => { for (;;) {} });\nawait new Promise(() => {});"),
        // A flood allocates as fast as it runs: an allocation budget (Jint's memory limit) may stop it before the
        // clock does on a fast machine, so the budget is raised here to test the clock alone.
        Runaway("DOS-004", "a microtask flood (for (;;) await null) ends with timeout", "for (;;) await null;") with { Limits = FloodLimits },
        Runaway("DOS-005", "an endless Promise.resolve().then chain ends with timeout",
            "const spin = () => Promise.resolve().then(spin);\nspin();\nawait new Promise(() => {});") with { Limits = FloodLimits },
        Runaway("DOS-006", "awaiting a promise that never settles ends with timeout", "await new Promise(() => {});"),
        Script("DOS-007", "a never-settling promise while a tool call is pending ends with timeout and the call is cancelled",
            $"console.log('{Expect.Marker}');\ntools.conf.slow({{ ms: 30000 }});\nawait new Promise(() => {{}});",
            Expect.Fails(ScriptErrorCode.Timeout).Within(12).And("the pending call was cancelled", o => Expect.That(o.Probe.Cancelled == 1, $"{o.Probe.Cancelled} call(s) cancelled")),
            ConformanceToolSet.Slow) with { Limits = ShortTimeout(0.5) },
        Script("DOS-008", "the deadline spans awaits: two 700 ms tool calls under a 1 s limit end with timeout",
            $"console.log('{Expect.Marker}');\nawait tools.test.sleep({{ ms: 700 }});\nawait tools.test.sleep({{ ms: 700 }});\nreturn 'finished';",
            Expect.Fails(ScriptErrorCode.Timeout).Within(12), ConformanceToolSet.Sleep) with { Limits = ShortTimeout(1) },
        Script("DOS-009", "catastrophic regex backtracking is stopped by the regex time limit, long before the script's",
            $"console.log('{Expect.Marker}');\nreturn /^(a+)+$/.test('a'.repeat(40) + 'b');",
            Expect.Fails(ScriptErrorCode.Timeout).Within(12)) with
        {
            Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(25), RegexTimeout = TimeSpan.FromMilliseconds(200) },
            Requires = EngineCapabilities.RegexTimeout,
        },
        Runaway("DOS-010", "catastrophic regex backtracking ends at the script's limit even when the regex limit is longer",
            "return /^(a+)+$/.test('a'.repeat(40) + 'b');") with { Requires = EngineCapabilities.RegexTimeout, Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(0.5), RegexTimeout = TimeSpan.FromSeconds(30) } },
        Script("DOS-011", "a return value whose getter never ends is stopped: serialization runs under the limits",
            $"console.log('{Expect.Marker}');\nreturn {{ get x() {{ for (;;) {{}} }} }};", Expect.Fails(ScriptErrorCode.Timeout).Within(12)) with { Limits = ShortTimeout(0.5) },
        Script("DOS-012", "deep recursion ends with recursion_limit",
            $"console.log('{Expect.Marker}');\nfunction f(n) {{ return f(n + 1) + 1; }}\nreturn f(0);", Expect.Fails(RecursionLimit)) with { Requires = EngineCapabilities.RecursionLimit },
        Script("DOS-013", "a recursive getter ends with recursion_limit",
            $"console.log('{Expect.Marker}');\nconst o = {{ get x() {{ return this.x; }} }};\nreturn o.x;", Expect.Fails(RecursionLimit)) with { Requires = EngineCapabilities.RecursionLimit },
        Script("DOS-014", "recursion through valueOf conversions ends with recursion_limit",
            $"console.log('{Expect.Marker}');\nconst o = {{ valueOf() {{ return o + 1; }} }};\nreturn o + 1;", Expect.Fails(RecursionLimit)) with { Requires = EngineCapabilities.RecursionLimitOnEveryRoute },
        Script("DOS-015", "recursion through a Proxy get trap ends with recursion_limit",
            $"console.log('{Expect.Marker}');\nconst p = new Proxy({{}}, {{ get(t, k, r) {{ return r[k]; }} }});\nreturn p.x;", Expect.Fails(RecursionLimit)) with { Requires = EngineCapabilities.RecursionLimitOnEveryRoute },
        Script("DOS-096", "a nested array joined by String() recursing inside the built-in ends with recursion_limit",
            $"console.log('{Expect.Marker}');\nlet a = [];\nfor (let i = 0; i < 100000; i++) a = [a];\nreturn String(a).length;",
            Expect.Fails(RecursionLimit).Within(30)) with { Requires = EngineCapabilities.RecursionLimitOnEveryRoute },
        Script("DOS-097", "JSON.stringify of an array nested 100,000 levels deep ends with recursion_limit",
            $"console.log('{Expect.Marker}');\nlet a = [];\nfor (let i = 0; i < 100000; i++) a = [a];\nreturn JSON.stringify(a).length;",
            Expect.Fails(RecursionLimit).Within(30)) with { Requires = EngineCapabilities.RecursionLimitOnEveryRoute },
        // The validator's parser takes it; V8's parser and Jint's analysis do not, and must say so as the script's error.
        Script("DOS-109", "source nested 5,000 levels deep ends with syntax_error saying so, not a runtime or harness error",
            "return " + new string('[', 5000) + new string(']', 5000) + ";",
            Expect.Rejected(SyntaxError).And("the message says the script is nested too deeply", o =>
                Expect.That(o.Final.Error?.Message.Contains("nested too deeply", StringComparison.Ordinal) == true, "the message: " + o.Final.Error?.Message))),
        Script("DOS-016", "an exception flood ends with timeout or, where allocation is budgeted, memory_limit",
            $"console.log('{Expect.Marker}');\nfor (;;) {{ try {{ throw new Error('x'.repeat(100)); }} catch (e) {{ }} }}",
            Expect.Fails(ScriptErrorCode.Timeout, MemoryLimit).Within(12)) with { Limits = ShortTimeout(0.5) },
    ];

    // Runs out of time under a 0.5 s limit; the host and the engine must both be fine afterwards.
    private static ScriptLimits FloodLimits => ShortTimeout(0.5) with { MemoryBytes = 4L * 1024 * 1024 * 1024 };

    private static ConformanceScenario Runaway(string id, string title, string attack, params string[] tools) =>
        Script(id, title, $"console.log('{Expect.Marker}');\n{attack}", Expect.Fails(ScriptErrorCode.Timeout).Within(12), tools) with { Limits = ShortTimeout(0.5) };
}
