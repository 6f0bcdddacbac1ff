using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// Small builders for the JSON Schemas of the built-in tools. Each call returns fresh nodes, because a
/// <see cref="JsonNode"/> can belong to only one parent. Strings become nodes through <see cref="JsonValue.Create(string?, JsonNodeOptions?)"/>:
/// the generic <c>JsonArray.Add&lt;T&gt;</c> builds System.Text.Json's reflection metadata, ~20 ms of a CLI's cold start.
/// </summary>
internal static class Schema
{
    /// <summary>A closed object: only the listed properties, <paramref name="required"/> ones mandatory.</summary>
    public static JsonObject Object(JsonObject properties, params ReadOnlySpan<string> required)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
        };
        if (!required.IsEmpty)
        {
            var list = new JsonArray();
            foreach (var name in required)
            {
                list.Add(JsonValue.Create(name));
            }

            schema["required"] = list;
        }

        schema["additionalProperties"] = false;
        return schema;
    }

    /// <summary>A string.</summary>
    public static JsonObject String(string description, int? maxLength = null)
    {
        var schema = Described("string", description);
        if (maxLength is { } max)
        {
            schema["maxLength"] = max;
        }

        return schema;
    }

    /// <summary>A string restricted to <paramref name="values"/>.</summary>
    public static JsonObject Enum(string description, params ReadOnlySpan<string> values)
    {
        var list = new JsonArray();
        foreach (var value in values)
        {
            list.Add(JsonValue.Create(value));
        }

        var schema = Described("string", description);
        schema["enum"] = list;
        return schema;
    }

    /// <summary>A whole number, optionally bounded by [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static JsonObject Integer(string description, long? minimum = null, long? maximum = null, long? defaultValue = null)
    {
        var schema = Described("integer", description);
        if (minimum is { } min)
        {
            schema["minimum"] = min;
        }

        if (maximum is { } max)
        {
            schema["maximum"] = max;
        }

        if (defaultValue is { } value)
        {
            schema["default"] = value;
        }

        return schema;
    }

    /// <summary>A boolean.</summary>
    public static JsonObject Boolean(string description, bool? defaultValue = null)
    {
        var schema = Described("boolean", description);
        if (defaultValue is { } value)
        {
            schema["default"] = value;
        }

        return schema;
    }

    /// <summary>An array of <paramref name="items"/>.</summary>
    public static JsonObject Array(string description, JsonObject items)
    {
        var schema = Described("array", description);
        schema["items"] = items;
        return schema;
    }

    private static JsonObject Described(string type, string description) => new()
    {
        ["type"] = type,
        ["description"] = description,
    };
}
