using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ScriptHarness.Serialization;

// The wire shapes of a response item, one record per JSON object. Property order here is the order on the
// wire; names become camelCase. Constructor parameters without a default are required when reading.

/// <summary><c>{"type":"text","index":N,"text":"…"}</c>.</summary>
internal sealed record TextLine(string Type, int Index, string Text);

/// <summary>A script result line; see <see cref="ResponseItemJson"/> for the contract.</summary>
internal sealed record ScriptResultLine(
    string Type,
    int Index,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonNode? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ErrorLine? Error,
    int ToolCalls,
    double DurationMs,
    IReadOnlyList<LogLine> Logs,
    IReadOnlyList<WarningLine> Warnings,
    // Always written (the mapper never passes null); optional on read so lines from before it still parse.
    IReadOnlyList<CallLine>? Calls = null,
    IReadOnlyList<PartialResultLine>? PartialResults = null,
    bool? PartialResultsTruncated = null,
    int? DroppedLogs = null,
    int? DroppedProgress = null,
    string? Sha256 = null,
    SuspensionLine? Suspension = null);

/// <summary>The call a suspended block waits at and its resume token; only when <c>status</c> is <c>suspended</c>.</summary>
internal sealed record SuspensionLine(
    string Token,
    string CallId,
    string Tool,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonNode? Arguments);

/// <summary>
/// A script error. <c>retryable</c> is always written but derived from the code, so a reader ignores it.
/// </summary>
internal sealed record ErrorLine(
    string Code,
    string Message,
    bool Retryable = false,
    int? Line = null,
    int? Column = null,
    string? Stack = null);

/// <summary>One captured console entry.</summary>
internal sealed record LogLine(string Level, string Message);

/// <summary>A non-fatal finding; position fields appear only when the warning has one.</summary>
internal sealed record WarningLine(
    string Code,
    string Message,
    int? Line = null,
    int? Column = null,
    string? Stack = null);

/// <summary>One tracked tool call; <c>code</c> appears only when the call has an error.</summary>
internal sealed record CallLine(string Id, string Tool, string Status, double Ms, string? Code = null);

/// <summary>The result of a succeeded call of a failed script; <c>result</c> is always written, <c>null</c> included.</summary>
internal sealed record PartialResultLine(
    string Id,
    string Tool,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonNode? Result);
