using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.Validation;

/// <summary>One tool's arguments schema, ready to check arguments: compiled when it can be, NJsonSchema otherwise.</summary>
internal abstract class ArgumentSchema
{
    /// <summary>Prepares <paramref name="schema"/>; costs a compilation (or an NJsonSchema load) once per tool.</summary>
    public static ArgumentSchema For(JsonObject schema) =>
        SchemaCompiler.TryCompile(schema) is { } root ? new CompiledArgumentSchema(root) : new NJsonSchemaArgumentSchema(schema);

    /// <summary>
    /// Completes when <paramref name="arguments"/> are valid; faults with <see cref="ToolException"/>
    /// (<c>tool_validation_failed</c>) naming the first wrong fields otherwise.
    /// </summary>
    public abstract ValueTask ValidateAsync(string tool, JsonNode? arguments, CancellationToken cancellationToken);
}
