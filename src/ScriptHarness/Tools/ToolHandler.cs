using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <summary>
/// A tool's implementation. Receives validated JSON arguments and returns a JSON result. Throw
/// <see cref="ToolException"/> for an error the script should see; any other exception is reported as
/// <c>tool_execution_failed</c> with its details hidden.
/// </summary>
public delegate ValueTask<JsonNode?> ToolHandler(JsonNode? arguments, ToolCallContext context, CancellationToken cancellationToken);
