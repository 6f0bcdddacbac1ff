using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.Validation;

/// <summary>Reads scalar argument values without copying them where the parsed JSON allows.</summary>
internal static class JsonScalars
{
    /// <summary>The JSON kind of a node; a C# null is JSON null.</summary>
    public static JsonValueKind KindOf(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        _ => node.GetValueKind(),
    };

    /// <summary>
    /// The element behind a value. Arguments parsed from text (all of a script's) have one; a value built in code
    /// (<c>JsonValue.Create(1.0)</c>) is read back from the JSON it writes, which is what NJsonSchema validated.
    /// </summary>
    public static JsonElement ElementOf(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element;
        }

        using var document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>The length of a string element in UTF-16 code units (what NJsonSchema counts), without copying it when unescaped.</summary>
    public static int Utf16Length(JsonElement text)
    {
        var raw = JsonMarshal.GetRawUtf8Value(text);
        var content = raw[1..^1]; // without the quotes
        return content.Contains((byte)'\\') ? text.GetString()!.Length : Encoding.UTF8.GetCharCount(content);
    }
}
