using System.Globalization;
using System.Text.Json.Nodes;

namespace ScriptHarness.Soak;

/// <summary>One expected item of a reply: text, a value, or an error code.</summary>
/// <param name="Text">The text item's text, or null.</param>
/// <param name="ValueJson">The result's value as JSON, or null.</param>
/// <param name="Code">The result's error code, or null.</param>
/// <param name="Starved">
/// A second code that is also right: a memory bomb starved of CPU on a loaded machine can reach the time limit before
/// the memory limit. Either limit stopped it; the tally counts how often the second one did.
/// </param>
internal sealed record ExpectedItem(string? Text, string? ValueJson, ScriptErrorCode? Code, ScriptErrorCode? Starved = null);

/// <summary>
/// A generated reply and the items it must give, in order: text, the kind's block, text, a plain return naming the
/// reply, text. Every text and every value names the reply, so an item from another reply is caught.
/// </summary>
internal sealed record SoakReply(int Id, ReplyKind Kind, string Text, IReadOnlyList<ExpectedItem> Expected)
{
    public static SoakReply Create(int id, ReplyKind kind, Random random)
    {
        var r = id.ToString(CultureInfo.InvariantCulture);
        var (script, first) = kind switch
        {
            ReplyKind.Ok => ($"return {{ r: {r}, s: 1 }};", Value(id, 1)),
            ReplyKind.ToolHeavy => (ToolHeavy(id, random), Value(id, 1)),
            ReplyKind.CaughtFailure =>
                ($"try {{ await tools.t.fail({{}}); return 'not thrown'; }} catch (e) {{ return {{ r: {r}, s: 1 }}; }}", Value(id, 1)),
            ReplyKind.SyntaxError => ($"return ({r};", Error(ScriptErrorCode.SyntaxError)),
            ReplyKind.Timeout => ("while (true) {}", Error(ScriptErrorCode.Timeout)),
            ReplyKind.MemoryBomb =>
                ("const keep = []; for (;;) keep.push(new Array(1 << 17).fill(keep.length));", new ExpectedItem(null, null, ScriptErrorCode.MemoryLimit, ScriptErrorCode.Timeout)),
            ReplyKind.NeverSettling => ("await new Promise(() => {});", Error(ScriptErrorCode.Timeout)),
            ReplyKind.HugeReturn => ("return 'x'.repeat(300000);", Error(ScriptErrorCode.ReturnValueTooLarge)),
            ReplyKind.DeepUnwinding =>
                ("async function* g(n) { if (n > 0) yield* g(n - 1); else yield 1; } for await (const x of g(100000)) {} return 1;",
                    new ExpectedItem(null, null, ScriptErrorCode.RecursionLimit, ScriptErrorCode.Timeout)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var before = $"reply {r} before\n";
        var between = $"\nbetween {r}\n";
        var after = $"\nafter {r}";
        var text = $"{before}<tool-calls>{script}</tool-calls>{between}<tool-calls>return {{ r: {r}, s: 2 }};</tool-calls>{after}";
        return new SoakReply(id, kind, text, [new(before, null, null), first, new(between, null, null), Value(id, 2), new(after, null, null)]);
    }

    private static ExpectedItem Value(int id, int slot) =>
        new(null, new JsonObject { ["r"] = id, ["s"] = slot }.ToJsonString(), null);

    private static ExpectedItem Error(ScriptErrorCode code) => new(null, null, code);

    private static string ToolHeavy(int id, Random random)
    {
        // Echoes in parallel and in sequence, with small random delays so completions interleave across replies.
        var delays = string.Join(", ", Enumerable.Range(0, 4).Select(_ => random.Next(0, 6).ToString(CultureInfo.InvariantCulture)));
        return $$"""
            const ds = [{{delays}}];
            const got = await Promise.all(ds.map((ms, i) => tools.t.delay({ ms }).then(() => tools.t.echo({ i }))));
            let sum = 0;
            for (const g of got) sum += g.i;
            for (let k = 0; k < 4; k++) sum += (await tools.t.echo({ k })).k;
            if (sum !== 12) throw new Error('echo lost: ' + sum);
            return { r: {{id}}, s: 1 };
            """;
    }
}
