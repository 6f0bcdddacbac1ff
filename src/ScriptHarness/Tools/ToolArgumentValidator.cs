using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tools;

/// <summary>
/// Validates tool arguments against each tool's JSON Schema; invalid arguments never reach a handler. A schema is
/// prepared when its tool is first called: compiled into checks over the arguments' nodes when it keeps to the subset
/// tools use (see <see cref="SchemaCompiler"/>), left to NJsonSchema otherwise.
/// </summary>
internal sealed class ToolArgumentValidator
{
    // By reference: a ToolDefinition is a record, whose value equality would hash its whole schema on every lookup.
    private readonly ConcurrentDictionary<ToolDefinition, ArgumentSchema> _schemas = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Completes (synchronously for a compiled schema) when the arguments are valid; faults with
    /// <see cref="ToolException"/> (<c>tool_validation_failed</c>) naming the first wrong fields otherwise.
    /// </summary>
    public ValueTask ValidateAsync(ToolDefinition tool, JsonNode? arguments, CancellationToken cancellationToken) =>
        _schemas.GetOrAdd(tool, static t => ArgumentSchema.For(t.ArgumentsSchema)).ValidateAsync(tool.Name, arguments, cancellationToken);
}
