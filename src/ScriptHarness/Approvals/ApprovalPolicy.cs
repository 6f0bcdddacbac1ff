using System.Text.Json.Nodes;

namespace ScriptHarness.Approvals;

/// <summary>
/// Decides, from the tool's name and its validated arguments, whether a call needs a person's approval even though
/// the tool itself does not require it (<see cref="Tools.ToolDefinition.RequiresApproval"/>). Called once per call,
/// before the handler; it must be fast, must not block, and must not modify <paramref name="arguments"/>.
/// </summary>
/// <param name="tool">The tool, <c>namespace.name</c>.</param>
/// <param name="arguments">The arguments the handler will receive (read-only).</param>
/// <returns><see langword="true"/> when the call must be approved first.</returns>
public delegate bool ApprovalPolicy(string tool, JsonNode? arguments);
