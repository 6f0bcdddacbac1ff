using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>
/// JSON values inside frames, as text: written with lone surrogates made U+FFFD (the harness's one rule for text
/// Unicode cannot carry; System.Text.Json refuses to write them), read back as deep as the engines nest values.
/// </summary>
internal static class WireJson
{
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 1000 };

    /// <summary>The JSON text of <paramref name="node"/> (null for null).</summary>
    public static string? Text(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            return node.ToJsonString();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException)
        {
            // A lone surrogate somewhere: repair a copy, then write it.
            return Repair(node)!.ToJsonString();
        }
    }

    /// <summary>Parses JSON text from a frame; throws <see cref="FrameException"/> when it is not JSON.</summary>
    public static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json, documentOptions: ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new FrameException("a value that is not JSON: " + ex.Message, ex);
        }
    }

    private static JsonNode? Repair(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Repair(p.Key), Repair(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Repair)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Repair(StringOf(v))),
        _ => node.DeepClone(),
    };

    // A string parsed from JSON text with a lone surrogate escape cannot even be read as a string: decode its literal.
    private static string StringOf(JsonValue value)
    {
        try
        {
            return value.GetValue<string>();
        }
        catch (InvalidOperationException) when (value.TryGetValue<JsonElement>(out var element))
        {
            return Unescape(element.GetRawText());
        }
    }

    private static string Unescape(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            var e = literal[++i];
            text.Append(e switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)Convert.ToUInt16(literal.Substring(i + 1, 4), 16),
                _ => e,
            });
            if (e == 'u')
            {
                i += 4;
            }
        }

        return text.ToString();
    }

    /// <summary><paramref name="text"/> with every lone surrogate made U+FFFD.</summary>
    public static string Repair(string text)
    {
        // Most text has no surrogate at all: a vectorized search says so without a loop over every character.
        var first = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return text;
        }

        StringBuilder? fixedText = null;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            var lone = char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
            if (lone)
            {
                fixedText ??= new StringBuilder(text, 0, i, text.Length);
                fixedText.Append('\uFFFD');
            }
            else
            {
                fixedText?.Append(c);
            }
        }

        return fixedText?.ToString() ?? text;
    }
}
