using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// Reads a built-in tool's JSON arguments defensively. The harness validates against the schema too, but a
/// handler must not trust that: every failure is a <c>tool_validation_failed</c> naming the argument.
/// </summary>
internal sealed class ToolArguments
{
    private readonly JsonObject _args;

    private ToolArguments(JsonObject args) => _args = args;

    /// <summary>Accepts an object (or nothing, read as <c>{}</c>) whose properties are all in <paramref name="known"/>.</summary>
    public static ToolArguments Parse(JsonNode? arguments, params ReadOnlySpan<string> known)
    {
        if (arguments is null)
        {
            return new ToolArguments([]);
        }

        if (arguments is not JsonObject obj)
        {
            throw ToolException.Validation("arguments must be an object");
        }

        foreach (var (name, _) in obj)
        {
            if (!known.Contains(name))
            {
                // Naming the expected arguments lets the model fix a typo such as `file` for `path` at once.
                var expected = known.IsEmpty ? "none" : string.Join(", ", known.ToArray());
                throw ToolException.Validation($"unknown argument '{Clip(name)}'; expected: {expected}");
            }
        }

        return new ToolArguments(obj);
    }

    /// <summary>A required, non-empty string of at most <paramref name="maxLength"/> characters.</summary>
    public string RequiredString(string name, int maxLength) =>
        OptionalString(name, maxLength) ?? throw ToolException.Validation($"argument '{name}' is required");

    /// <summary>
    /// A string of at most <paramref name="maxLength"/> characters, or null when absent. An empty string is
    /// rejected unless <paramref name="allowEmpty"/>.
    /// </summary>
    public string? OptionalString(string name, int maxLength, bool allowEmpty = false)
    {
        if (Get(name) is not { } node)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw ToolException.Validation($"argument '{name}' must be a string");
        }

        var value = node.GetValue<string>();
        if (value.Length == 0 && !allowEmpty)
        {
            throw ToolException.Validation($"argument '{name}' must not be empty");
        }

        if (value.Length > maxLength)
        {
            throw ToolException.Validation($"argument '{name}' must be at most {maxLength} characters");
        }

        return value;
    }

    /// <summary>A boolean, or <paramref name="defaultValue"/> when absent.</summary>
    public bool Boolean(string name, bool defaultValue) => Get(name)?.GetValueKind() switch
    {
        null => defaultValue,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw ToolException.Validation($"argument '{name}' must be a boolean"),
    };

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="defaultValue"/> when absent.</summary>
    public int Integer(string name, int defaultValue, int min, int max) =>
        Get(name) is { } node ? ToInteger(name, node, min, max) : defaultValue;

    /// <summary>A required whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int RequiredInteger(string name, int min, int max) =>
        Get(name) is { } node ? ToInteger(name, node, min, max) : throw ToolException.Validation($"argument '{name}' is required");

    // JSON null counts as absent: JavaScript callers often pass `null` for "use the default".
    private JsonNode? Get(string name) => _args.TryGetPropertyValue(name, out var node) ? node : null;

    private static int ToInteger(string name, JsonNode node, int min, int max)
    {
        // The JSON text is the one representation every JsonValue backing (element or CLR number) shares.
        if (node.GetValueKind() == JsonValueKind.Number
            && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value == Math.Floor(value)
            && value >= min
            && value <= max)
        {
            return (int)value;
        }

        throw ToolException.Validation($"argument '{name}' must be an integer between {min} and {max}");
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
