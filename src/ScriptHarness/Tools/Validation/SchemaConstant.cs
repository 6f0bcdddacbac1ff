using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.Validation;

/// <summary>
/// A scalar a schema names in <c>enum</c> or <c>const</c>. A value matches when it is the same JSON value: same kind, same
/// text for strings, numerically equal for numbers (<c>1</c> matches <c>1.0</c>).
/// </summary>
internal sealed class SchemaConstant
{
    private readonly JsonValueKind _kind;
    private readonly string? _text;
    private readonly JsonNumber _number;

    private SchemaConstant(JsonValueKind kind, string? text, JsonNumber number)
    {
        _kind = kind;
        _text = text;
        _number = number;
    }

    /// <summary>Whether this is JSON null.</summary>
    public bool IsNull => _kind == JsonValueKind.Null;

    /// <summary>Reads a scalar from a schema; null for an object or array (not compiled).</summary>
    public static SchemaConstant? TryCreate(JsonNode? node)
    {
        if (node is null)
        {
            return new SchemaConstant(JsonValueKind.Null, null, default);
        }

        if (node is not JsonValue value)
        {
            return null;
        }

        var element = JsonScalars.ElementOf(value);
        return element.ValueKind switch
        {
            JsonValueKind.String => new SchemaConstant(JsonValueKind.String, element.GetString(), default),
            JsonValueKind.Number => new SchemaConstant(JsonValueKind.Number, null, JsonNumber.Read(element)),
            JsonValueKind.True or JsonValueKind.False => new SchemaConstant(element.ValueKind, null, default),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="value"/> is this JSON value.</summary>
    public bool Matches(JsonNode? value)
    {
        var kind = JsonScalars.KindOf(value);
        if (kind != _kind)
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => JsonScalars.ElementOf((JsonValue)value!).ValueEquals(_text),
            JsonValueKind.Number => JsonNumber.Read(JsonScalars.ElementOf((JsonValue)value!)).NumericallyEquals(_number),
            _ => true, // null, true, false: the kind is the value
        };
    }
}
