using System.Text.Json;
using System.Text.Json.Nodes;
using Jint.Native;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The JSON text a tool call settles with inside the engine: <c>{"ok":true,"value":…}</c> or
/// <c>{"ok":false,"code":…,"message":…}</c>. Tool failures never fault toward Jint (a faulted host task would reach
/// the script as a CLR exception with host details); the prelude turns the error envelope into a plain JS Error.
/// </summary>
internal static class Envelope
{
    /// <summary>The envelope of a finished call: its value, or its error as the script should see it.</summary>
    public static JsString From(ValueTask<JsonNode?> completed)
    {
        JsonNode? value;
        try
        {
            value = completed.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            return Failure(ErrorOf(ex));
        }

        string json;
        try
        {
            json = value is null ? "null" : value.ToJsonString();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // A handler returned a node that cannot be written as JSON (a CLR value without a converter, nesting past
            // 64 levels): the call fails like any tool failure instead of escaping into the engine.
            return Failure(new ScriptError(ScriptErrorCode.ToolExecutionFailed, "the tool returned a result that cannot be passed to the script as JSON"));
        }

        return new JsString($$"""{"ok":true,"value":{{json}}}""");
    }

    private static JsString Failure(ScriptError error) => new(JsonSerializer.Serialize(new JsonObject
    {
        ["ok"] = false,
        ["code"] = error.WireCode,
        ["message"] = error.Message,
    }));

    private static ScriptError ErrorOf(Exception? exception) => exception switch
    {
        ScriptHarnessException e => e.Error,
        OperationCanceledException => new ScriptError(ScriptErrorCode.Cancelled, "the tool call was cancelled"),
        _ => new ScriptError(ScriptErrorCode.HarnessInternal, "internal error while calling the tool"),
    };
}
