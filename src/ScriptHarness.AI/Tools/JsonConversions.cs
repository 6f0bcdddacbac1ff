using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace ScriptHarness.AI.Tools;

/// <summary>Moves JSON between the harness's <see cref="JsonNode"/> values and M.E.AI's argument dictionaries.</summary>
internal static class JsonConversions
{
    public static JsonObject? ToObject(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } e ? JsonNode.Parse(e.GetRawText()) as JsonObject : null;

    public static JsonElement ToElement(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }

    /// <summary>The properties of an arguments object as JSON elements, which every <see cref="AIFunction"/> binds.</summary>
    public static Dictionary<string, object?> ToArguments(JsonNode? arguments)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (arguments is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                result[key] = ToElement(value);
            }
        }

        return result;
    }

    /// <summary>Arguments a model or UI gave as a dictionary, back to one JSON object.</summary>
    public static JsonObject FromArguments(IEnumerable<KeyValuePair<string, object?>>? arguments, JsonSerializerOptions options)
    {
        var result = new JsonObject();
        foreach (var (key, value) in arguments ?? [])
        {
            result[key] = ToNode(value, options);
        }

        return result;
    }

    public static JsonNode? ToNode(object? value, JsonSerializerOptions options) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        JsonDocument document => JsonNode.Parse(document.RootElement.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, options.GetTypeInfo(value.GetType())),
    };
}
