using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScriptHarness.Tools.Validation;

/// <summary>A compiled schema: checks run on the arguments' nodes, synchronously, allocating only to explain a failure.</summary>
internal sealed class CompiledArgumentSchema(SchemaNode root) : ArgumentSchema
{
    // "Any object" (test.echo, and many a host tool): one type test.
    private readonly bool _anyObject = root.IsTypeOnly && root.Types == JsonTypes.Object && !root.Nullable;

    public override ValueTask ValidateAsync(string tool, JsonNode? arguments, CancellationToken cancellationToken)
    {
        if (_anyObject && arguments is JsonObject)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            SchemaBudget.Start(arguments);
            if (root.IsValid(arguments))
            {
                return ValueTask.CompletedTask;
            }

            // Invalid: a second pass gathers the errors, placed and ordered as NJsonSchema did.
            var errors = new List<SchemaError>();
            SchemaBudget.Start(arguments);
            root.Validate(arguments, null, string.Empty, errors);
            return ValueTask.FromException(ValidationMessage.Create(tool, errors));
        }
        catch (SchemaTooComplexException ex)
        {
            return ValueTask.FromException(ex.ToToolError(tool));
        }
        catch (RegexMatchTimeoutException)
        {
            // A host pattern that backtracks badly must not hold the sandbox thread: the script's input is refused.
            return ValueTask.FromException(ToolException.Validation(
                $"invalid arguments for {tool}: a pattern check took longer than {SchemaCompiler.PatternTimeout.TotalSeconds:0} s"));
        }
        finally
        {
            SchemaBudget.End();
        }
    }
}
