using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// A schema outside the compiled subset, checked by NJsonSchema as before: the arguments as JSON text, read by
/// Newtonsoft. The schema is loaded once, and one validator serves every call (it keeps no state between calls).
/// </summary>
internal sealed class NJsonSchemaArgumentSchema(JsonObject schema) : ArgumentSchema
{
    // With the settings: the parameterless constructor would leave out the format checks (uri, date-time, …).
    private static readonly JsonSchemaValidator Validator = new(new JsonSchemaValidatorSettings());

    // A schema NJsonSchema cannot read faults here, and so every call of the tool (a harness error), as before.
    private readonly Task<JsonSchema> _schema = LoadAsync(schema);

    public override async ValueTask ValidateAsync(string tool, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var loaded = await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
        var errors = Validator.Validate(arguments?.ToJsonString() ?? "null", loaded, SchemaType.JsonSchema);
        if (errors.Count > 0)
        {
            throw ValidationMessage.Create(tool, errors.Select(e => (e.Path, e.Property, e.Kind.ToString())));
        }
    }

    private static async Task<JsonSchema> LoadAsync(JsonObject schema) =>
        await JsonSchema.FromJsonAsync(schema.ToJsonString()).ConfigureAwait(false);
}
