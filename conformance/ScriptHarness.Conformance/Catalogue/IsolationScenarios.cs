using System.Text.Json.Nodes;
using ScriptHarness.Conformance.Tools;
using ScriptHarness.Runtime;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>ISO-</c>: nothing one script does is visible to the next on the same harness and engine. The first script
/// pollutes and proves that its pollution took hold in its own realm (its return value is checked too, so a polluter
/// that silently failed cannot make the scenario pass); a second reply then looks for traces.
/// </summary>
internal static class IsolationScenarios
{
    public static IEnumerable<ConformanceScenario> All() =>
    [
        Leak("ISO-001", "globals set by one script are gone in the next",
            "globalThis.leak = 42;\nleakImplicit = 1;\nreturn [globalThis.leak, globalThis.leakImplicit];", "[42,1]",
            "return [typeof globalThis.leak, typeof globalThis.leakImplicit];", """["undefined","undefined"]"""),
        Leak("ISO-002", "Object.prototype pollution does not reach the next script",
            "Object.prototype.polluted = 'yes';\nreturn ({}).polluted;", "\"yes\"",
            "return [({}).polluted === undefined, 'polluted' in {}];", "[true,false]"),
        Leak("ISO-003", "an overwritten Array.prototype.push does not reach the next script",
            "Array.prototype.push = function () { return 'hijacked'; };\nreturn [].push(1);", "\"hijacked\"",
            "const a = [];\na.push(1, 2);\nreturn a;", "[1,2]"),
        Leak("ISO-004", "a replaced JSON does not reach the next script",
            "JSON.stringify = () => 'hijacked';\nJSON.parse = () => 'hijacked';\nreturn JSON.stringify({});", "\"hijacked\"",
            "return [JSON.stringify({ a: 1 }), JSON.parse('[1]')];", """["{\"a\":1}",[1]]"""),
        Leak("ISO-005", "a replaced Promise does not reach the next script, whose tool calls work",
            "Promise.prototype.then = function () { return 'hijacked'; };\nglobalThis.Promise = function () {};\nreturn typeof Promise.resolve;", "\"undefined\"",
            "return [typeof Promise.resolve, await Promise.resolve(7), (await tools.test.echo({ x: 1 })).x];", """["function",7,1]"""),
        Leak("ISO-006", "patched String, Number and Function prototypes do not reach the next script",
            "String.prototype.toUpperCase = () => 'hijacked';\nNumber.prototype.toFixed = () => 'hijacked';\nObject.getPrototypeOf(() => 0).call = null;\nreturn 'a'.toUpperCase();", "\"hijacked\"",
            "return ['a'.toUpperCase(), (1.5).toFixed(1), typeof (() => 0).call];", """["A","1.5","function"]"""),
        Leak("ISO-007", "a replaced Array iterator does not reach the next script",
            "Array.prototype[Symbol.iterator] = function* () { yield 'hijacked'; };\nreturn [...[1, 2]];", """["hijacked"]""",
            "return [...[1, 2]];", "[1,2]"),
        Leak("ISO-008", "patched Math and Date do not reach the next script",
            "Math.random = () => 4;\nMath.max = () => -1;\nDate.now = () => 0;\nreturn [Math.random(), Date.now()];", "[4,0]",
            "return [Math.random() < 1, Math.max(1, 2), Date.now() > 0];", "[true,2,true]"),
        Leak("ISO-009", "patched Error machinery does not reach the next script",
            "Error.prototype.toString = () => 'hijacked';\nError.prepareStackTrace = () => 'hijacked';\nreturn String(new Error('x'));", "\"hijacked\"",
            "return [String(new Error('x')), String(new TypeError('t'))];", """["Error: x","TypeError: t"]"""),
        Leak("ISO-010", "intrinsics frozen by one script are not frozen in the next",
            "Object.freeze(Object.prototype);\nObject.freeze(Array.prototype);\nreturn Object.isFrozen(Object.prototype);", "true",
            "Object.prototype.added = 1;\nconst seen = ({}).added === 1;\ndelete Object.prototype.added;\nreturn [Object.isFrozen(Object.prototype), Object.isFrozen(Array.prototype), seen];", "[false,false,true]"),
        Leak("ISO-011", "per-script tool state starts afresh in the next script",
            "await tools.test.counter();\nawait tools.test.counter();\nreturn (await tools.test.counter()).count;", "3",
            "return (await tools.test.counter()).count;", "1"),
        new ConformanceScenario
        {
            Id = "ISO-012",
            Title = "two scripts of one reply running at the same time do not see each other",
            Reply = "First.\n<tool-calls>\nObject.prototype.shared = 'A';\nglobalThis.fromA = 1;\nawait tools.test.sleep({ ms: 400 });\n"
                + "return [({}).shared, typeof globalThis.fromB];\n</tool-calls>\nSecond.\n<tool-calls>\nawait tools.test.sleep({ ms: 100 });\n"
                + "const seen = [({}).shared === undefined, typeof globalThis.fromA];\nObject.prototype.shared = 'B';\nglobalThis.fromB = 1;\nreturn seen;\n</tool-calls>",
            Tools = [ConformanceToolSet.Sleep],
            Expect = Expect.Returns("""[true,"undefined"]""").And("the first script kept its own view", o => First(o, """["A","undefined"]""")),
        },
        new ConformanceScenario
        {
            Id = "ISO-013",
            Title = "pollution by a script that then times out does not reach the next script",
            Script = "Object.prototype.dying = 1;\nglobalThis.dyingGlobal = 1;\nfor (;;) {}",
            FollowUps = ["return [({}).dying === undefined, typeof globalThis.dyingGlobal];"],
            Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(0.5) },
            Expect = Expect.Returns("""[true,"undefined"]""").Within(12).And("the first script timed out", o =>
                Expect.That(o.Outcomes[0].Error?.Code == ScriptErrorCode.Timeout, $"the first script ended {o.Outcomes[0].Status} {o.Outcomes[0].Error?.WireCode}"))
                with { EarlierMayFail = true },
        },
    ];

    // The polluter runs as one reply, the check as the next reply on the same harness.
    private static ConformanceScenario Leak(string id, string title, string pollute, string proof, string check, string expected) => new()
    {
        Id = id,
        Title = title,
        Script = pollute,
        FollowUps = [check],
        Tools = [ConformanceToolSet.Echo, ConformanceToolSet.Counter],
        Expect = Expect.Returns(expected).And("the polluter's change took hold in its own realm", o => First(o, proof)),
    };

    private static string? First(ConformanceObservation o, string proof) =>
        Expect.That(JsonNode.DeepEquals(o.Outcomes[0].Value, JsonNode.Parse(proof)),
            $"the polluting script returned {o.Outcomes[0].Value?.ToJsonString() ?? o.Outcomes[0].Error?.ToString() ?? "nothing"}, expected {proof}");
}
