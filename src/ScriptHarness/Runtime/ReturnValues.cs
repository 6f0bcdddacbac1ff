using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Serialization;

namespace ScriptHarness.Runtime;

/// <summary>Turns the JSON text a script returned (serialized inside the engine) into its outcome, under the size limit.</summary>
internal static class ReturnValues
{
    private const int PreviewChars = 1024;

    /// <summary>
    /// Null text means <c>undefined</c> (a null value). Over the limit: <c>return_value_too_large</c> with a preview
    /// that is itself valid JSON (a string holding the first characters of the text).
    /// </summary>
    public static EngineResult FromJson(string? json, ScriptLimits limits)
    {
        if (json is null)
        {
            return EngineResult.Success(null);
        }

        // JSON.stringify writes a lone surrogate as an escape that no writer can read back: U+FFFD instead.
        json = WellFormedText.RepairJson(json);

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > limits.MaxReturnValueBytes)
        {
            var preview = json.Length <= PreviewChars ? json : string.Concat(json.AsSpan(0, PreviewChars), "…");
            return EngineResult.Failure(new ScriptError(ScriptErrorCode.ReturnValueTooLarge,
                $"the return value is {Size(bytes)}; the limit is {Size(limits.MaxReturnValueBytes)}. Return a summary instead of the whole data."),
                JsonValue.Create(preview));
        }

        try
        {
            return EngineResult.Success(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return EngineResult.Failure(new ScriptError(ScriptErrorCode.SerializationFailed, "the return value is not valid JSON"));
        }
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}
