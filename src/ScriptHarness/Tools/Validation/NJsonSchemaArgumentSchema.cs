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
    private const int MaxDetail = 200;

    // Loaded once, on the tool's first call; a schema NJsonSchema cannot read fails every call of the tool, saying so.
    private readonly Task<JsonSchema> _schema = LoadAsync(schema);

    public override async ValueTask ValidateAsync(string tool, JsonNode? arguments, CancellationToken cancellationToken)
    {
        JsonSchema loaded;
        try
        {
            loaded = await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Unusable(tool, "its schema is not one the harness can read", ex);
        }

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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // NJsonSchema fails on some schemas it reads (a multipleOf of 0, a bound past decimal's range).
            throw Unusable(tool, "its schema made the checker fail", ex);
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

    // The tool's schema, not the script's arguments, is at fault; but no call of it can be checked, so none is made, and
    // trying again would not help: tool_validation_failed (not retryable) with what went wrong, the cause kept for the host.
    private static ToolException Unusable(string tool, string why, Exception cause)
    {
        var detail = cause.Message.ReplaceLineEndings(" ");
        if (detail.Length > MaxDetail)
        {
            detail = string.Concat(detail.AsSpan(0, MaxDetail), "…");
        }

        return new ToolException(ScriptErrorCode.ToolValidationFailed,
            $"the arguments of {tool} cannot be checked, so it was not called: {why} ({cause.GetType().Name}: {detail})", cause);
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
