using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// The JSON text a tool call settles with inside the engine: <c>{"ok":true,"value":…}</c> or
/// <c>{"ok":false,"code":…,"message":…}</c>. A tool failure never reaches V8 as a host exception; the prelude turns
/// the error envelope into a plain JS Error.
/// </summary>
internal static class Envelope
{
    /// <summary>The envelope of a finished call: its value, or its error as the script should see it.</summary>
    public static string From(ValueTask<JsonNode?> completed)
    {
        JsonNode? value;
        try
        {
            value = completed.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            var error = ErrorOf(ex);
            return JsonSerializer.Serialize(new JsonObject
            {
                ["ok"] = false,
                ["code"] = error.WireCode,
                ["message"] = error.Message,
            });
        }

        return value is null ? """{"ok":true,"value":null}""" : $$"""{"ok":true,"value":{{value.ToJsonString()}}}""";
    }

    private static ScriptError ErrorOf(Exception exception) => exception switch
    {
        ScriptHarnessException e => e.Error,
        OperationCanceledException => new ScriptError(ScriptErrorCode.Cancelled, "the tool call was cancelled"),
        _ => new ScriptError(ScriptErrorCode.HarnessInternal, "internal error while calling the tool"),
    };
}
