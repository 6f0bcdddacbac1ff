using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>Memory bombs: strings, arrays, objects, BigInts and typed arrays, each stopped under the memory limit.</content>
internal static partial class DenialOfServiceScenarios
{
    private static IEnumerable<ConformanceScenario> Memory() =>
    [
        Bomb("DOS-020", "a 256 M-character string ('x'.repeat(2 ** 28)) ends with memory_limit", "const s = 'x'.repeat(2 ** 28);\nreturn s.length;", MemoryLimit) with { Requires = EngineCapabilities.MemoryLimit },
        Bomb("DOS-021", "a string-doubling loop ends with memory_limit or a string-length RangeError",
            "let s = 'x';\nfor (;;) s += s;", MemoryLimit, RuntimeError),
        Bomb("DOS-022", "an array growing forever ends with memory_limit", "const a = [];\nfor (let i = 0; ; i++) a.push(i);", MemoryLimit),
        Bomb("DOS-023", "a 100 M-element array ends with memory_limit", "return new Array(1e8).fill(0).length;", MemoryLimit) with { Requires = EngineCapabilities.MemoryLimit },
        Bomb("DOS-024", "an object with endless keys ends with memory_limit", "const o = {};\nfor (let i = 0; ; i++) o['k' + i] = i;", MemoryLimit),
        Bomb("DOS-025", "objects kept forever end with memory_limit",
            "const keep = [];\nfor (;;) keep.push({ s: 'x'.repeat(64) + keep.length, a: [1, 2, 3] });", MemoryLimit),
        Bomb("DOS-026", "a BigInt bomb (2n ** 10000000n, then growing) ends with memory_limit or a BigInt-size RangeError",
            "let x = 2n ** 10000000n;\nconst keep = [];\nfor (;;) { keep.push(x); x = x * 3n; }", MemoryLimit, RuntimeError),
        Bomb("DOS-027", "new Uint8Array(2 ** 31) ends with memory_limit or a RangeError, never a 2 GB allocation",
            "return new Uint8Array(2 ** 31).length;", MemoryLimit, RuntimeError),
        Bomb("DOS-028", "a 128 MiB typed array over the 96 MiB limit ends with memory_limit or a RangeError",
            "const a = new Uint8Array(2 ** 27);\na.fill(1);\nreturn a.length;", MemoryLimit, RuntimeError),
        Bomb("DOS-029", "a string of 2 ** 30 characters ends with memory_limit or a string-length RangeError",
            "return 'y'.padEnd(2 ** 30, 'y').length;", MemoryLimit, RuntimeError),
        Bomb("DOS-030", "joining a million-element array into a gigabyte ends with memory_limit or a string-length RangeError",
            "return new Array(999999).join('z'.repeat(1000)).length;", MemoryLimit, RuntimeError),
    ];

    // Runs under the default 96 MiB limit with a generous clock, so it is the memory limit that must stop it. Some bombs
    // allocate hundreds of megabytes before the limit can act: the bound allows for that on a loaded machine.
    private static ConformanceScenario Bomb(string id, string title, string attack, params ScriptErrorCode[] codes) =>
        Script(id, title, $"console.log('{Expect.Marker}');\n{attack}", Expect.Fails(codes).Within(30)) with
        {
            Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(20) },
            Requires = EngineCapabilities.MemoryLimit,
        };
}
