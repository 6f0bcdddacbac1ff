using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

/// <summary>One response item of each shape, built fresh per call so tests cannot share mutable JSON nodes.</summary>
internal static class SampleItems
{
    public static readonly string[] Names = ["text", "ok", "error", "skipped", "calls", "partial", "warnings"];

    public static ResponseItem Get(string name) => name switch
    {
        "text" => Text(),
        "ok" => Ok(),
        "error" => Error(),
        "skipped" => Skipped(),
        "calls" => Calls(),
        "partial" => Partial(),
        "warnings" => Warnings(),
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

    /// <summary>Warnings with every optional part of a position: all of them, some, none.</summary>
    public static ScriptResultItem Warnings() => new(4, ScriptOutcome.Ok(4, JsonValue.Create("done")) with
    {
        Warnings =
        [
            new ScriptError(ScriptErrorCode.DetachedPromise, "a promise was left running") { Line = 4, Column = 9, Stack = "    at main (4:9)" },
            new ScriptError(ScriptErrorCode.DetachedPromise, "line only") { Line = 2 },
            new ScriptError(ScriptErrorCode.DetachedPromise, "column and stack") { Column = 3, Stack = "    at 1:3" },
            new ScriptError(ScriptErrorCode.DetachedPromise, "nothing placed"),
        ],
    });

    /// <summary>An ok script with one call of every status; the succeeded call's result stays off the wire.</summary>
    public static ScriptResultItem Calls() => new(6, ScriptOutcome.Ok(6, null) with
    {
        ToolCalls = 7,
        Duration = TimeSpan.FromMilliseconds(260),
        DroppedProgress = 4,
        Calls =
        [
            new ToolCallRecord("turn-1/s0#1", "files.read", ToolCallStatus.Succeeded, TimeSpan.FromTicks(12_340)) { Result = JsonNode.Parse("""{"text":"hi"}""") },
            new ToolCallRecord("turn-1/s0#2", "files.read", ToolCallStatus.Failed, TimeSpan.FromTicks(5_000)) { Error = new ScriptError(ScriptErrorCode.ToolExecutionFailed, "disk on fire") },
            new ToolCallRecord("turn-1/s0#3", "files.write", ToolCallStatus.DryRun, TimeSpan.FromTicks(120)),
            new ToolCallRecord("turn-1/s0#4", "test.sleep", ToolCallStatus.Cancelled, TimeSpan.FromMilliseconds(3)) { Error = new ScriptError(ScriptErrorCode.Cancelled, "the run was cancelled") },
            new ToolCallRecord("turn-1/s0#5", "test.sleep", ToolCallStatus.Detached, TimeSpan.FromMilliseconds(250)),
            new ToolCallRecord("turn-1/s0#6", "test.counter", ToolCallStatus.Running, TimeSpan.FromTicks(10)),
            new ToolCallRecord("turn-1/s0#7", "mail.send", ToolCallStatus.Suspended, TimeSpan.FromTicks(40)),
        ],
    });

    /// <summary>A script that timed out after two calls succeeded (one returning null), one failed and one detached.</summary>
    public static ScriptResultItem Partial() => new(7, new ScriptOutcome
    {
        Index = 7,
        Status = ScriptStatus.Error,
        Error = new ScriptError(ScriptErrorCode.Timeout, "Script ran longer than 100 ms."),
        ToolCalls = 4,
        Duration = TimeSpan.FromTicks(1_005_000),
        Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "1 tool call(s) were still running when the script ended and were cancelled: turn-2/s1#4")],
        Calls =
        [
            new ToolCallRecord("turn-2/s1#1", "files.list", ToolCallStatus.Succeeded, TimeSpan.FromTicks(21_000)) { Result = JsonNode.Parse("""["a.txt","b.txt"]""") },
            new ToolCallRecord("turn-2/s1#2", "files.read", ToolCallStatus.Succeeded, TimeSpan.FromTicks(7_000)),
            new ToolCallRecord("turn-2/s1#3", "files.read", ToolCallStatus.Failed, TimeSpan.FromTicks(1_000)) { Error = new ScriptError(ScriptErrorCode.ToolValidationFailed, "path is required") },
            new ToolCallRecord("turn-2/s1#4", "files.search", ToolCallStatus.Detached, TimeSpan.FromMilliseconds(90)),
        ],
        Sha256 = "eb3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b0b3b",
    });

    /// <summary>A failed script whose calls all succeeded, returning <paramref name="results"/> in order.</summary>
    public static ScriptResultItem FailedAfter(params JsonNode?[] results) => new(8, ScriptOutcome.Failed(8, new ScriptError(ScriptErrorCode.RuntimeError, "boom")) with
    {
        ToolCalls = results.Length,
        Calls = [.. results.Select((r, i) => new ToolCallRecord($"s#{i + 1}", "test.echo", ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(1)) { Result = r })],
    });

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
