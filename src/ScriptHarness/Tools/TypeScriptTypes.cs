using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScriptHarness.Tools;

/// <summary>
/// Maps a JSON Schema to a TypeScript type: <c>string</c>, <c>number</c>/<c>integer</c> → <c>number</c>,
/// <c>boolean</c>, <c>null</c>, arrays, objects (<c>required</c> decides <c>?</c>), <c>enum</c>/<c>const</c> →
/// literal unions, <c>anyOf</c>/<c>oneOf</c> and type lists → unions; anything else → <c>unknown</c>.
/// </summary>
internal static partial class TypeScriptTypes
{
    // Keeps literals readable in the prompt ("a<b", not "a\u003Cb") while still escaping quotes and controls.
    private static readonly JsonSerializerOptions LiteralOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The TypeScript type of <paramref name="schema"/>, on one line.</summary>
    public static string Of(JsonNode? schema)
    {
        if (schema is not JsonObject obj)
        {
            return "unknown";
        }

        if (obj.TryGetPropertyValue("const", out var constant))
        {
            return Literal(constant);
        }

        if (obj["enum"] is JsonArray values && values.Count > 0)
        {
            return Union(values.Select(Literal));
        }

        if ((obj["anyOf"] ?? obj["oneOf"]) is JsonArray choices && choices.Count > 0)
        {
            return Union(choices.Select(Of));
        }

        return obj["type"] switch
        {
            JsonArray types when types.Count > 0 => Union(types.Select(t => OfType(TypeName(t), obj))),
            JsonValue type => OfType(TypeName(type), obj),
            _ when obj.ContainsKey("properties") => OfType("object", obj),
            _ => "unknown",
        };
    }

    /// <summary>Whether a value of <paramref name="schema"/> may be left out: an object with nothing required.</summary>
    public static bool IsOptionalObject(JsonObject schema) => schema["required"] is not JsonArray { Count: > 0 };

    /// <summary>
    /// The <c>description</c>s of <paramref name="schema"/>'s properties, nested ones too, as
    /// (<c>prefix.name</c>, description) pairs in schema order, for <c>@param</c> tags.
    /// </summary>
    public static IEnumerable<(string Path, string Description)> PropertyDescriptions(JsonNode? schema, string prefix)
    {
        if (schema is not JsonObject { } obj || obj["properties"] is not JsonObject properties)
        {
            yield break;
        }

        foreach (var (name, property) in properties)
        {
            var path = prefix + "." + name;
            if (property?["description"] is JsonValue description && description.GetValueKind() == JsonValueKind.String)
            {
                yield return (path, description.GetValue<string>());
            }

            foreach (var nested in PropertyDescriptions(property, path))
            {
                yield return nested;
            }
        }
    }

    private static string? TypeName(JsonNode? type) =>
        type is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string OfType(string? type, JsonObject schema) => type switch
    {
        "string" => "string",
        "number" or "integer" => "number",
        "boolean" => "boolean",
        "null" => "null",
        "array" => ArrayOf(Of(schema["items"])),
        "object" => ObjectOf(schema),
        _ => "unknown",
    };

    private static string ArrayOf(string element) =>
        IdentifierPattern().IsMatch(element) ? element + "[]" : $"Array<{element}>";

    private static string ObjectOf(JsonObject schema)
    {
        if (schema["properties"] is not JsonObject { Count: > 0 } properties)
        {
            return schema["additionalProperties"] switch
            {
                JsonObject values => $"Record<string, {Of(values)}>",
                JsonValue closed when closed.GetValueKind() == JsonValueKind.False => "{}",
                _ => "Record<string, unknown>",
            };
        }

        var required = (schema["required"] as JsonArray)?.Select(TypeName).ToHashSet(StringComparer.Ordinal) ?? [];
        var members = properties.Select(p =>
            $"{PropertyName(p.Key)}{(required.Contains(p.Key) ? string.Empty : "?")}: {Of(p.Value)}");
        return "{ " + string.Join("; ", members) + " }";
    }

    private static string PropertyName(string name) =>
        IdentifierPattern().IsMatch(name) ? name : JsonValue.Create(name).ToJsonString(LiteralOptions);

    private static string Literal(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            => v.ToJsonString(LiteralOptions),
        _ => "unknown",
    };

    // Distinct members in first-seen order; `unknown` absorbs everything else.
    private static string Union(IEnumerable<string> members)
    {
        var distinct = members.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Contains("unknown") ? "unknown" : string.Join(" | ", distinct);
    }

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*\z")]
    private static partial Regex IdentifierPattern();
}
