using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// Single huge native operations (<see cref="OneStepAllocators"/>): one call that would allocate far past the memory
/// limit, or run for seconds in native code no interrupt reaches. Under a 16 MiB limit each must end with a typed
/// error — before the allocation where the engine checks in advance — and leave the host running the next script.
/// </content>
internal static partial class DenialOfServiceScenarios
{
    /// <summary>The one-step allocation scenarios, DOS-060 on.</summary>
    public static IEnumerable<ConformanceScenario> OneStep() =>
    [
        Refused("DOS-060", "String.prototype.repeat", "'x'.repeat(2 ** 29 - 24) then indexOf ends with memory_limit (a gigabyte in one call)",
            "const s = 'x'.repeat(2 ** 29 - 24);\nreturn s.indexOf('y');"),
        Refused("DOS-061", "String.prototype.repeat", "'x'.repeat(2 ** 27).split('') ends with memory_limit", "return 'x'.repeat(2 ** 27).split('').length;"),
        Huge("DOS-062", "new Array(2 ** 28).fill(1.5) ends with memory_limit", "const a = new Array(2 ** 28).fill(1.5);\nreturn a.length;"),
        Huge("DOS-063", "filling an array whose length was set to 2 ** 27 ends with memory_limit",
            "const a = [];\na.length = 2 ** 27;\na.fill(0);\nreturn a.length;"),
        Refused("DOS-064", "String.prototype.padEnd", "'y'.padEnd(2 ** 29 - 24, 'y') then reading it ends with memory_limit",
            "const s = 'y'.padEnd(2 ** 29 - 24, 'y');\nreturn s.lastIndexOf('x');"),
        Refused("DOS-065", "String.prototype.padStart", "''.padStart(2 ** 28) then reading it ends with memory_limit", "return ''.padStart(2 ** 28).indexOf('x');"),
        Refused("DOS-066", "Array.prototype.join", "joining 999,999 holes with a 1,000-character separator ends with memory_limit",
            "return new Array(999999).join('z'.repeat(1000)).length;"),
        Refused("DOS-067", "Array.prototype.join", "joining 100,000 references to one 5,000-character string ends with memory_limit",
            "const s = 'z'.repeat(5000);\nreturn new Array(100000).fill(s).join('').length;"),
        Huge("DOS-068", "concat doubling an array ends with memory_limit", "let a = [1];\nfor (;;) a = a.concat(a);"),
        Huge("DOS-069", "a Map grown without end ends with memory_limit", "const m = new Map();\nfor (let i = 0; ; i++) m.set(i, i);"),
        Huge("DOS-070", "a Set built from a 16 M-element array in one call ends with memory_limit",
            "return new Set(Array.from({ length: 2 ** 24 }, (_, i) => i)).size;"),
        Huge("DOS-071", "JSON.stringify of a 64 M-element sparse array ends with memory_limit",
            "return JSON.stringify(new Array(2 ** 26)).length;"),
        Huge("DOS-072", "JSON.stringify of 100,000 references to one 4,000-character string ends with memory_limit",
            "const s = 'z'.repeat(4000);\nreturn JSON.stringify(new Array(100000).fill(s)).length;"),
        Huge("DOS-073", "Intl.Segmenter over 8 M characters, spread into an array, ends with memory_limit",
            "const text = 'ab'.repeat(2 ** 22);\nreturn [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;"),
        Huge("DOS-074", "normalizing and upper-casing 4 M characters ends with memory_limit",
            "const s = '\\u00e9'.repeat(2 ** 22);\nreturn s.normalize('NFD').toLocaleUpperCase().length;"),
        Refused("DOS-075", "JSON.parse", "JSON.parse of a million nested arrays ends with memory_limit",
            "return JSON.parse('['.repeat(1e6) + ']'.repeat(1e6)).length;"),
        Huge("DOS-076", "new Float64Array(2 ** 27) ends with memory_limit", "return new Float64Array(2 ** 27).length;"),
        Refused("DOS-077", "String.prototype.replaceAll", "replaceAll growing 1 M characters by a thousand times ends with memory_limit",
            "return 'x'.repeat(2 ** 20).replaceAll('x', 'y'.repeat(1000)).length;"),
        Refused("DOS-078", "String.prototype.replaceAll", "replaceAll with $' (the rest of the string per match) ends with memory_limit",
            "return 'x'.repeat(2 ** 15).replaceAll('x', \"$'\").length;"),
        Huge("DOS-079", "toReversed of an array whose length was set to 2 ** 27 ends with memory_limit",
            "const a = [];\na.length = 2 ** 27;\nreturn a.toReversed().length;"),
        Huge("DOS-080", "Array.prototype.fill on an array-like of length 2 ** 27 ends with memory_limit",
            "return Array.prototype.fill.call({ length: 2 ** 27 }, 1).length;"),
        Huge("DOS-081", "Array.from({ length: 2 ** 28 }) ends with memory_limit", "return Array.from({ length: 2 ** 28 }).length;"),
        Huge("DOS-082", "String of a 128 M-hole array (join through toString) ends with memory_limit",
            "return String(new Array(2 ** 27)).length;"),
        Huge("DOS-083", "JSON.parse of an 8 M-character array text ends with memory_limit",
            "return JSON.parse('[' + '0,'.repeat(2 ** 22) + '0]').length;"),
        Huge("DOS-084", "localeCompare of a string doubled to 128 M characters ends with memory_limit",
            "let s = 'x';\nfor (let i = 0; i < 27; i++) s += s;\nreturn s.localeCompare('y');"),
        Huge("DOS-085", "splitting a string doubled to 64 M characters into characters ends with memory_limit",
            "let s = 'x';\nfor (let i = 0; i < 26; i++) s += s;\nreturn s.split('').length;"),
        Huge("DOS-086", "new ArrayBuffer(2 ** 30) reached through a typed array's buffer ends with memory_limit",
            "const C = new Uint8Array(1).buffer.constructor;\nreturn new C(2 ** 30).byteLength;"),
        Refused("DOS-087", "String.prototype.repeat", "a caught refusal still ends the script with memory_limit",
            "try { 'x'.repeat(2 ** 29 - 24).indexOf('y'); } catch (e) { }\nreturn 'survived';"),
        // Issue 17.3: what the host marshals for the script (tool arguments, console arguments, the return value) is
        // bounded too, before it is written: a sparse array's length or a typed array's is gigabytes of JSON.
        Marshalled("DOS-088", "a tool argument whose array claims 2 ** 32 - 1 elements ends with memory_limit before the tool runs",
            "const a = [];\na.length = 2 ** 32 - 1;\nreturn await tools.conf.record({ a });"),
        Marshalled("DOS-089", "a 50 MB typed array (within the limit) logged ends with memory_limit, not gigabytes of JSON",
            "const bytes = new Uint8Array(50e6);\nconsole.log(bytes);\nreturn 'logged';"),
        Marshalled("DOS-090", "a 50 MB typed array (within the limit) sent to a tool ends with memory_limit before the tool runs",
            "const bytes = new Uint8Array(50e6);\nreturn await tools.conf.record({ bytes });"),
        Marshalled("DOS-091", "a 50 MB typed array (within the limit) returned ends with memory_limit, not gigabytes of JSON",
            "return new Uint8Array(50e6);"),
        Marshalled("DOS-092", "returning an array that claims 2 ** 32 - 1 elements ends with memory_limit",
            "const a = [];\na.length = 2 ** 32 - 1;\nreturn { a };"),
        Marshalled("DOS-093", "logging an array that claims 2 ** 32 - 1 elements ends with memory_limit",
            "const a = [];\na.length = 2 ** 32 - 1;\nconsole.log('a', a);\nreturn 'logged';"),
        Marshalled("DOS-094", "a Proxy of an array claiming 2 ** 32 - 1 elements, sent to a tool, ends with memory_limit before the tool runs",
            "const a = [];\na.length = 2 ** 32 - 1;\nreturn await tools.conf.record({ a: new Proxy(a, {}) });"),
        Marshalled("DOS-095", "a 1 M-character string referenced 1,000 times in a tool argument ends with memory_limit before the tool runs",
            "const s = 'x'.repeat(2 ** 20);\nreturn await tools.conf.record({ a: new Array(1000).fill(s) });"),
    ];

    // Refused by the guard of `target` on every engine, before it allocated: the message names the built-in. (A worker
    // killed over its hard memory cap ends with engine_crashed, which the runner accepts in Process isolation.)
    private static ConformanceScenario Refused(string id, string target, string title, string attack)
    {
        var scenario = Huge(id, title, attack);
        return scenario with
        {
            Expect = scenario.Expect.And($"refused by the {target} guard before it allocated", o =>
                o.Final.Error?.Code != MemoryLimit || o.Final.Error.Message.Contains(target, StringComparison.Ordinal)
                    ? null
                    : $"the memory limit stopped it, but not at {target} before it allocated: {o.Final.Error.Message}"),
        };
    }

    // A value the host marshals for the script, under a 64 MiB limit that a 50 MB typed array fits in but its JSON
    // (gigabytes for a sparse array) does not: memory_limit before anything is written, and no call reaches the tool.
    private static ConformanceScenario Marshalled(string id, string title, string attack)
    {
        var scenario = Huge(id, title, attack);
        return scenario with
        {
            Tools = [ConformanceToolSet.Record],
            Limits = ScriptLimits.Default with { MemoryBytes = 64L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(15) },
            Expect = scenario.Expect.And("no call reached the tool", o =>
                Expect.That(o.Final.ToolCalls == 0 && o.Probe.HandlerRuns(ConformanceToolSet.Record) == 0,
                    $"{o.Final.ToolCalls} call(s) accepted, {ConformanceToolSet.Record} ran {o.Probe.HandlerRuns(ConformanceToolSet.Record)} time(s)")),
        };
    }

    // A 16 MiB limit, a generous clock: it is the memory limit, checked before the call allocates, that must stop
    // it. The bound allows for a loaded machine; the runner then checks that the engine still runs a trivial script.
    private static ConformanceScenario Huge(string id, string title, string attack) =>
        Script(id, title, $"console.log('{Expect.Marker}');\n{attack}", Expect.Fails(MemoryLimit).Within(30)) with
        {
            Limits = ScriptLimits.Default with { MemoryBytes = 16L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(15) },
            Requires = EngineCapabilities.MemoryLimit,
        };
}
