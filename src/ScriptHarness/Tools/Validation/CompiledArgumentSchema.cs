using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.Validation;

/// <summary>A compiled schema: checks run on the arguments' nodes, synchronously, allocating only to explain a failure.</summary>
internal sealed class CompiledArgumentSchema(SchemaNode root) : ArgumentSchema
{
    // "Any object" (test.echo, and many a host tool): one type test.
    private readonly bool _anyObject = root.IsTypeOnly && root.Types == JsonTypes.Object && !root.Nullable;

    public override ValueTask ValidateAsync(string tool, JsonNode? arguments, CancellationToken cancellationToken)
    {
        if ((_anyObject && arguments is JsonObject) || root.IsValid(arguments))
        {
            return ValueTask.CompletedTask;
        }

        // Invalid: a second pass gathers the errors, placed and ordered as NJsonSchema did.
        var errors = new List<SchemaError>();
        root.Validate(arguments, null, string.Empty, errors);
        return ValueTask.FromException(ValidationMessage.Create(tool, errors));
    }
}
