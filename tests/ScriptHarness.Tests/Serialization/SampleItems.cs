using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>One response item of each shape, built fresh per call so tests cannot share mutable JSON nodes.</summary>
internal static class SampleItems
{
    public static readonly string[] Names = ["text", "ok", "error", "skipped"];

    public static ResponseItem Get(string name) => name switch
    {
        "text" => Text(),
        "ok" => Ok(),
        "error" => Error(),
        "skipped" => Skipped(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static TextItem Text() => new(0, "Reading the files now: héllo 日本");

    public static ScriptResultItem Ok() => new(1, new ScriptOutcome
    {
        Index = 1,
        Status = ScriptStatus.Ok,
        Value = JsonNode.Parse("""{"count":2,"files":["a.txt","b.txt"],"meta":{"deep":[1,2.5,null,true],"empty":{}}}"""),
        ToolCalls = 3,
        Duration = TimeSpan.FromTicks(124_000),
        Logs = [new LogEntry(LogLevel.Information, "read 2 files"), new LogEntry(LogLevel.Warning, "slow disk")],
        DroppedLogs = 2,
        Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "1 tool call was still running")],
        Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    });

    public static ScriptResultItem Error() => new(2, new ScriptOutcome
    {
        Index = 2,
        Status = ScriptStatus.Error,
        Error = new ScriptError(ScriptErrorCode.Timeout, "Script ran longer than 30000 ms.") { Line = 3, Column = 7, Stack = "at main (3:7)" },
        Duration = TimeSpan.FromMilliseconds(30001),
        Logs = [new LogEntry(LogLevel.Error, "giving up")],
    });

    public static ScriptResultItem Skipped() => new(3, ScriptOutcome.Skipped(3));

    /// <summary>An ok result whose value is <paramref name="json"/> (null for no value).</summary>
    public static ScriptResultItem WithValue(JsonNode? value) => new(5, ScriptOutcome.Ok(5, value));

    /// <summary>Arrays nested <paramref name="levels"/> deep: [[[…]]].</summary>
    public static JsonNode NestedArrays(int levels)
    {
        JsonNode node = new JsonArray();
        for (int i = 1; i < levels; i++)
        {
            node = new JsonArray(node);
        }

        return node;
    }
}
