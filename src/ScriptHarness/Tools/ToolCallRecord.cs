using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <summary>One tracked tool call of a script, as reported with its outcome.</summary>
/// <param name="CallId">Unique id within the run, e.g. <c>turn-1/s0#3</c>.</param>
/// <param name="Tool">The tool, <c>namespace.name</c>.</param>
/// <param name="Status">How the call ended (or that it is still running).</param>
/// <param name="Duration">From the call to its end, or to the snapshot for a running call.</param>
public sealed record ToolCallRecord(string CallId, string Tool, ToolCallStatus Status, TimeSpan Duration)
{
    /// <summary>The result of a succeeded call: the partial results of a script that failed later.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>The error of a failed call.</summary>
    public ScriptError? Error { get; init; }
}
