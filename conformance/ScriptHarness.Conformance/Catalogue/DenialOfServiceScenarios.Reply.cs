using ScriptHarness.Conformance.Tools;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// <c>DOS-100</c>…: a reply's budget is the reply's, however many blocks it holds. Without reply-wide limits every
/// per-script budget multiplies by the block count (issue 17.7: 20,000 blocks all ran; 40 blocks made 1,212 calls).
/// One script at a time, so which block meets the limit does not depend on scheduling.
/// </content>
internal static partial class DenialOfServiceScenarios
{
    private static IEnumerable<ConformanceScenario> Reply() =>
    [
        new ConformanceScenario
        {
            Id = "DOS-100",
            Title = "blocks past MaxBlocksPerReply each end with reply_limit_exceeded and never run",
            Reply = string.Concat(Enumerable.Range(1, 5).Select(i => $"block {i}\n<tool-calls>\nawait tools.conf.record({{ block: {i} }});\nreturn {i};\n</tool-calls>\n")),
            Tools = [ConformanceToolSet.Record],
            Harness = OneAtATime with { MaxBlocksPerReply = 3 },
            Expect = new ScenarioExpectation
            {
                Status = ScriptStatus.Error,
                Codes = [ReplyLimitExceeded],
                EarlierMayFail = true,
            }.And("blocks 1-3 ran and returned, blocks 4-5 were refused without a call", o =>
                Expect.That(o.Outcomes.Count == 5, $"{o.Outcomes.Count} results for 5 blocks")
                ?? Expect.That(o.Outcomes.Take(3).Select(r => r.Value?.ToJsonString()).SequenceEqual(["1", "2", "3"]),
                    "the first three blocks returned " + string.Join(", ", o.Outcomes.Take(3).Select(r => r.Value?.ToJsonString() ?? r.Error?.WireCode)))
                ?? Expect.That(o.Outcomes.Skip(3).All(r => r.Error?.Code == ReplyLimitExceeded && r.ToolCalls == 0),
                    "blocks 4-5 ended " + string.Join(", ", o.Outcomes.Skip(3).Select(r => $"{r.Error?.WireCode} calls={r.ToolCalls}")))
                ?? Expect.That(o.Probe.HandlerRuns(ConformanceToolSet.Record) == 3, $"conf.record ran {o.Probe.HandlerRuns(ConformanceToolSet.Record)} times, not 3")),
        },
        new ConformanceScenario
        {
            Id = "DOS-101",
            Title = "tool calls past MaxToolCallsPerReply fail with a catchable tool_budget_exceeded in whichever block meets the limit",
            Reply = string.Concat(Enumerable.Repeat(
                "<tool-calls>\nlet ok = 0, code = null;\nfor (let i = 0; i < 3; i++) { try { await tools.conf.record({ i }); ok++; } catch (e) { code = e.code; } }\nreturn { ok, code };\n</tool-calls>\n", 3)),
            Tools = [ConformanceToolSet.Record],
            Harness = OneAtATime with { MaxToolCallsPerReply = 4 },
            Expect = Expect.Ok("the blocks made 3, 1 and 0 calls; the refused ones never reached the tool", o =>
                Expect.That(string.Join(" ", o.Outcomes.Select(r => r.Value?.ToJsonString())) == """{"ok":3,"code":null} {"ok":1,"code":"tool_budget_exceeded"} {"ok":0,"code":"tool_budget_exceeded"}""",
                    "the blocks returned " + string.Join(" ", o.Outcomes.Select(r => r.Value?.ToJsonString() ?? r.Error?.WireCode)))
                ?? Expect.That(o.Probe.HandlerRuns(ConformanceToolSet.Record) == 4, $"conf.record ran {o.Probe.HandlerRuns(ConformanceToolSet.Record)} times, not 4")),
        },
        new ConformanceScenario
        {
            Id = "DOS-102",
            Title = "a reply past MaxReplyTime ends its running block and refuses the later ones with reply_limit_exceeded",
            Reply = "<tool-calls>\nreturn 1;\n</tool-calls>\n"
                + $"<tool-calls>\nconsole.log('{Expect.Marker}');\nfor (;;) {{}}\n</tool-calls>\n"
                + "<tool-calls>\nreturn 3;\n</tool-calls>\n",
            Harness = OneAtATime with { MaxReplyTime = TimeSpan.FromSeconds(1) },
            Expect = (Expect.Fails(ReplyLimitExceeded).Within(12) with { EarlierMayFail = true, Reached = null })
                .And("block 1 returned, block 2 ran up to its loop and was stopped, block 3 was refused", o =>
                    Expect.That(o.Outcomes.Count == 3 && o.Outcomes[0].Value?.ToJsonString() == "1", $"{o.Outcomes.Count} results, the first {o.Outcomes[0].Value?.ToJsonString() ?? o.Outcomes[0].Error?.WireCode}")
                    ?? Expect.That(o.Outcomes[1].Error?.Code == ReplyLimitExceeded && o.Outcomes[1].Logs.Any(l => l.Message == Expect.Marker),
                        $"block 2 ended {o.Outcomes[1].Error?.WireCode ?? "ok"} with {o.Outcomes[1].Logs.Count} log(s)")
                    ?? Expect.That(o.Outcomes[2].Error?.Code == ReplyLimitExceeded, $"block 3 ended {o.Outcomes[2].Error?.WireCode ?? "ok"}")),
        },
    ];

    private static ScriptHarnessOptions OneAtATime => new() { MaxParallelScripts = 1 };
}
