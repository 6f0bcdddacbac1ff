using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Engines;

/// <summary>
/// The JSON text a tool call settles with inside the engine: <c>{"ok":true,"value":…}</c> or
/// <c>{"ok":false,"code":…,"message":…}</c>. Tool failures never fault toward an engine (a faulted host task would reach
/// the script as a CLR exception with host details); the shared prelude turns the error envelope into a plain JS Error.
/// </summary>
public static class ToolEnvelope
{
    /// <summary>The envelope of a finished call: its value, or its error as the script should see it.</summary>
    public static string From(ToolResult result)
    {
        if (!result.IsSuccess)
        {
            return Failure(result.Error);
        }

        string json;
        try
        {
            json = ToJson(result.Value);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // A handler returned a node that cannot be written as JSON (a CLR value without a converter, nesting past
            // 64 levels): the call fails like any tool failure instead of escaping into the engine.
            return Failure(Unrepresentable);
        }

        return $$"""{"ok":true,"value":{{json}}}""";
    }

    // A string parsed from JSON text with a lone surrogate escape cannot be written: the call gets U+FFFD there, as
    // it does for such a string a handler built itself (the writer replaces those).
    private static string ToJson(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        try
        {
            return value.ToJsonString();
        }
        catch (Exception ex) when (WellFormedText.IsLoneSurrogateFailure(ex))
        {
            return WellFormedText.Repair(value)!.ToJsonString();
        }
    }

    /// <summary>
    /// The result of a finished call. A bridge returns failures as values; one that throws anyway (a defect) still
    /// gives the script a typed error, never the exception.
    /// </summary>
    public static ToolResult Result(ValueTask<ToolResult> completed)
    {
        try
        {
            return completed.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return ToolResult.Failure(ScriptErrorCode.Cancelled, "the tool call was cancelled");
        }
        catch (Exception ex)
        {
            return ToolResult.Failure(ex is ScriptHarnessException e ? e.Error : new ScriptError(ScriptErrorCode.HarnessInternal, "internal error while calling the tool"));
        }
    }

    /// <summary>What the script sees when a tool's result cannot be handed to it as JSON.</summary>
    public static ScriptError Unrepresentable { get; } =
        new(ScriptErrorCode.ToolExecutionFailed, "the tool returned a result that cannot be passed to the script as JSON");

    private static string Failure(ScriptError error) => JsonSerializer.Serialize(new JsonObject
    {
        ["ok"] = false,
        ["code"] = error.WireCode,
        ["message"] = error.Message,
    });

    /// <summary>Why arguments holding a lone surrogate are refused: a tool must get valid text, never a guess at it.</summary>
    public static string LoneSurrogateArguments(string tool) =>
        $"the arguments of {tool} hold a lone surrogate (half of a UTF-16 pair), which is not valid text";

    /// <summary>
    /// Parses the arguments the prelude wrote. They are valid JSON, so parsing fails only past System.Text.Json's
    /// depth limit: the script's arguments are at fault, not the harness.
    /// </summary>
    public static JsonNode? ParseArguments(string tool, string? json)
    {
        try
        {
            if (json is not null && !WellFormedText.IsWellFormedJson(json))
            {
                throw ToolException.Validation(LoneSurrogateArguments(tool));
            }

            return json is null ? null : JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            throw ToolException.Validation($"the arguments of {tool} are nested too deeply (at most 64 levels)");
        }
    }
}
