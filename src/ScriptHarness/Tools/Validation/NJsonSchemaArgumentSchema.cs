using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// A schema outside the compiled subset, checked by NJsonSchema as before: the arguments as JSON text, read by
/// Newtonsoft. The schema is loaded once; each check has a validator of its own, counting its steps.
/// </summary>
internal sealed class NJsonSchemaArgumentSchema(JsonObject schema) : ArgumentSchema
{
    // A schema NJsonSchema cannot read faults here, and so every call of the tool (a harness error), as before.
    private readonly Task<JsonSchema> _schema = LoadAsync(schema);

    public override async ValueTask ValidateAsync(string tool, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var loaded = await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
        ICollection<ValidationError> errors;
        try
        {
            SchemaBudget.Start(arguments, SchemaBudget.NJsonSchemaTime);
            errors = new BudgetedValidator().Validate(arguments?.ToJsonString() ?? "null", loaded, SchemaType.JsonSchema);
        }
        catch (SchemaTooComplexException ex)
        {
            throw ex.ToToolError(tool);
        }
        finally
        {
            SchemaBudget.End();
        }

        if (errors.Count > 0)
        {
            throw ValidationMessage.Create(tool, errors.Select(e => (e.Path, e.Property, e.Kind.ToString())));
        }
    }

    /// <summary>NJsonSchema's validator, counting each schema it checks a value against in <see cref="SchemaBudget"/>.</summary>
    private sealed class BudgetedValidator() : JsonSchemaValidator(new JsonSchemaValidatorSettings())
    {
        // With the settings: the parameterless constructor would leave out the format checks (uri, date-time, …).
        protected override ICollection<ValidationError> Validate(JToken token, JsonSchema schema, SchemaType schemaType, string? propertyName, string propertyPath)
        {
            SchemaBudget.Step();
            return base.Validate(token, schema, schemaType, propertyName, propertyPath);
        }
    }

    private static async Task<JsonSchema> LoadAsync(JsonObject schema) =>
        await JsonSchema.FromJsonAsync(schema.ToJsonString()).ConfigureAwait(false);
}
