using System.Text.Json.Nodes;

namespace ScriptHarness.Approvals;

/// <summary>A tool call waiting for a person's decision.</summary>
/// <param name="RequestId">Unique id of the request.</param>
/// <param name="Tool">The tool, <c>namespace.name</c>.</param>
/// <param name="Arguments">The arguments, sanitized for display (secrets redacted, long values cut).</param>
/// <param name="ScriptId">The script that made the call.</param>
public sealed record ApprovalRequest(string RequestId, string Tool, JsonNode? Arguments, string ScriptId)
{
    /// <summary>
    /// What the call acts on, resolved and in full, with warnings (a write into <c>.git/hooks</c>), when the tool says
    /// (<see cref="Tools.ToolDefinition.ApprovalTarget"/>); null otherwise. Show it: the arguments may be shortened.
    /// </summary>
    public ApprovalTarget? Target { get; init; }
}
