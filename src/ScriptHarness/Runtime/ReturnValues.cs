using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Serialization;

namespace ScriptHarness.Runtime;

/// <summary>Turns the JSON text a script returned (serialized inside the engine) into its outcome, under the size limit.</summary>
internal static class ReturnValues
{
    private const int PreviewChars = 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = WireLimits.MaxValueDepth };

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
            return EngineResult.Success(JsonNode.Parse(json, documentOptions: ParseOptions));
        }
        catch (JsonException)
        {
            // The parser's depth limit is the wire forms' (a deeper value could not be written out); say which it was.
            return EngineResult.Failure(NestsDeeperThan(json, WireLimits.MaxValueDepth)
                ? TooDeep()
                : new ScriptError(ScriptErrorCode.SerializationFailed, "the return value is not valid JSON"));
        }
    }

    /// <summary>The error of a value that nests deeper than the wire forms carry.</summary>
    public static ScriptError TooDeep() => new(
        ScriptErrorCode.SerializationFailed,
        $"the return value nests deeper than {WireLimits.MaxValueDepth} levels of objects and arrays; return a flatter value");

    // The text is JSON.stringify's, so brackets outside strings are exactly the nesting.
    private static bool NestsDeeperThan(string json, int levels)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                if (++depth > levels)
                {
                    return true;
                }
            }
            else if (c is '}' or ']')
            {
                depth--;
            }
        }

        return false;
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}
