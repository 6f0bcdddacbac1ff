using ScriptHarness.Runtime;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>Flooding the way out: console and progress output, huge, cyclic and deeply nested return values.</content>
internal static partial class DenialOfServiceScenarios
{
    private static IEnumerable<ConformanceScenario> Output() =>
    [
        Script("DOS-040", "10,000 console.log calls are capped (200 per script, 20 per second) and the rest counted",
            "for (let i = 0; i < 10000; i++) console.log('line ' + i);\nreturn 'done';",
            Expect.Returns("\"done\"").And("at most 200 logs kept, the rest counted", o =>
                Expect.That(o.Final.Logs.Count is >= 1 and <= 200 && o.Final.Logs.Count + o.Final.DroppedLogs == 10000, $"{o.Final.Logs.Count} kept, {o.Final.DroppedLogs} dropped")
                ?? Expect.That(o.Final.Logs.Select((l, i) => l.Message == "line " + i).All(x => x), "the kept lines were not the first ones, in order"))),
        Script("DOS-041", "a 1 M-character console message is cut to the message limit",
            "console.log('m'.repeat(1e6));\nreturn 'done';",
            Expect.Returns("\"done\"").And("the message is at most 1,000 characters plus an ellipsis", o =>
                Expect.That(o.Final.Logs.Count == 1 && o.Final.Logs[0].Message.Length <= 1001, $"logged {o.Final.Logs.Sum(l => l.Message.Length)} characters"))),
        Script("DOS-042", "10,000 progress reports do not stall the script",
            "for (let i = 0; i < 10000; i++) context.progress('step ' + i);\nreturn 'done';", Expect.Returns("\"done\"")),
        Script("DOS-043", "a 10 MB return value ends with return_value_too_large and a preview that is valid JSON",
            $"console.log('{Expect.Marker}');\nreturn 'x'.repeat(10 * 1024 * 1024);",
            Expect.Fails(ReturnValueTooLarge).Within(30).And("the preview is a short JSON string", o =>
                Expect.That(o.Final.Value is { } v && System.Text.Json.Nodes.JsonNode.Parse(v.ToJsonString()) is not null && v.ToJsonString().Length < 4096,
                    $"preview: {(o.Final.Value?.ToJsonString().Length ?? 0)} characters"))) with
        {
            Limits = ScriptLimits.Default with { MemoryBytes = 512L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20) },
        },
        Script("DOS-044", "a return value over a 1 KiB limit ends with return_value_too_large",
            $"console.log('{Expect.Marker}');\nreturn {{ rows: Array.from({{ length: 100 }}, (_, i) => ({{ i, text: 'row ' + i }})) }};",
            Expect.Fails(ReturnValueTooLarge)) with { Limits = ScriptLimits.Default with { MaxReturnValueBytes = 1024 } },
        Script("DOS-045", "a cyclic return value ends with serialization_failed",
            $"console.log('{Expect.Marker}');\nconst o = {{}};\no.self = o;\nreturn o;", Expect.Fails(SerializationFailed)),
        Script("DOS-046", "a BigInt return value ends with serialization_failed",
            $"console.log('{Expect.Marker}');\nreturn {{ n: 1n }};", Expect.Fails(SerializationFailed)),
        Script("DOS-047", "a return value nested 100,000 levels deep ends with serialization_failed (or, where the engine writes it, return_value_too_large)",
            $"console.log('{Expect.Marker}');\nlet o = {{}};\nfor (let i = 0; i < 100000; i++) o = {{ o }};\nreturn o;",
            Expect.Fails(SerializationFailed, ScriptErrorCode.ReturnValueTooLarge).Within(30)),
        Script("DOS-048", "console.log of a value nested 100,000 levels deep does not take the host down",
            "let o = {};\nfor (let i = 0; i < 100000; i++) o = { o };\nconsole.log(o);\nreturn 'logged';",
            Expect.Returns("\"logged\"").Within(30)),
        Script("DOS-049", "a return value nested 64 levels, one more than the wire forms carry, ends with serialization_failed",
            $"console.log('{Expect.Marker}');\nlet a = [];\nfor (let i = 1; i < 64; i++) a = [a];\nreturn a;",
            Expect.Fails(SerializationFailed)),
        Script("DOS-050", "a return value nested 63 levels, the most the wire forms carry, is returned whole",
            "let a = [];\nfor (let i = 1; i < 63; i++) a = [a];\nreturn a;",
            Expect.Returns(new string('[', 63) + new string(']', 63))),
    ];
}
