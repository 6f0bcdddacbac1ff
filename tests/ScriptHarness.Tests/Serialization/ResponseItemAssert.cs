using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>Field-by-field equality for response items (records holding JSON nodes and lists compare by reference).</summary>
internal static class ResponseItemAssert
{
    public static void Equivalent(ResponseItem expected, ResponseItem actual)
    {
        Assert.IsType(expected.GetType(), actual);
        Assert.Equal(expected.Index, actual.Index);
        if (expected is TextItem text)
        {
            Assert.Equal(text, actual);
            return;
        }

        ScriptOutcome e = ((ScriptResultItem)expected).Outcome;
        ScriptOutcome a = ((ScriptResultItem)actual).Outcome;
        Assert.Equal(e.Index, a.Index);
        Assert.Equal(e.Status, a.Status);
        JsonEqual(e.Value, a.Value);
        Assert.Equal(e.Error, a.Error);
        Assert.Equal(e.ToolCalls, a.ToolCalls);
        Assert.Equal(e.Duration, a.Duration);
        Assert.Equal(e.Logs, a.Logs);
        Assert.Equal(e.DroppedLogs, a.DroppedLogs);
        Assert.Equal(e.DroppedProgress, a.DroppedProgress);
        CallsAsCarried(e, a);
        Assert.Equal(e.Warnings, a.Warnings);
        Assert.Equal(e.Sha256, a.Sha256);
    }

    /// <summary>
    /// The calls as the wire carries them: an error keeps only its code (the message reads back empty), and a result
    /// only when it is one of the partial results (all of them here: the samples stay under the size bound).
    /// </summary>
    public static void CallsAsCarried(ScriptOutcome expected, ScriptOutcome actual)
    {
        HashSet<string> carried = [.. expected.PartialResults.Select(c => c.CallId)];
        Assert.Equal(expected.Calls.Count, actual.Calls.Count);
        foreach (var (e, a) in expected.Calls.Zip(actual.Calls))
        {
            Assert.Equal((e.CallId, e.Tool, e.Status, e.Duration), (a.CallId, a.Tool, a.Status, a.Duration));
            Assert.Equal(e.Error is null ? null : new ScriptError(e.Error.Code, string.Empty), a.Error);
            JsonEqual(carried.Contains(e.CallId) ? e.Result : null, a.Result);
        }
    }

    /// <summary>Same JSON text: stricter than numeric equality, and shows both values on failure.</summary>
    public static void JsonEqual(JsonNode? expected, JsonNode? actual) =>
        Assert.Equal(expected?.ToJsonString() ?? "null", actual?.ToJsonString() ?? "null");
}
