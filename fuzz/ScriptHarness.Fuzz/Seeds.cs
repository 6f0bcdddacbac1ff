using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Fuzz;

/// <summary>Seed inputs made by the code itself: one MessagePack item of each kind.</summary>
internal static class Seeds
{
    public static void Write(string target, string folder)
    {
        if (target != "msgpack")
        {
            return;
        }

        Directory.CreateDirectory(folder);
        ResponseItem[] items =
        [
            new TextItem(0, "hello\n"),
            new ScriptResultItem(1, ScriptOutcome.Ok(1, new JsonObject { ["a"] = new JsonArray(1, 2.5, "x", null, true) }) with
            {
                Logs = [new LogEntry(LogLevel.Information, "log line")],
                ToolCalls = 1,
                Duration = TimeSpan.FromMilliseconds(12),
            }),
            new ScriptResultItem(2, ScriptOutcome.Failed(2, new ScriptError(ScriptErrorCode.Timeout, "timed out") { Line = 3, Column = 4, Stack = "at x" })),
            new ScriptResultItem(3, ScriptOutcome.Skipped(3)),
        ];
        for (var i = 0; i < items.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"seed-{i}.msgpack"), ResponseItemMessagePack.Serialize(items[i]));
        }
    }
}
