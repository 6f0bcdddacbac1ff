using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Serialization;

/// <summary>
/// The one rule for text that JavaScript can make but Unicode cannot carry: a lone surrogate (half of a UTF-16
/// pair, e.g. <c>"\ud800"</c>) becomes U+FFFD wherever a value leaves the engine and in every writer, so no output
/// ever fails on it. Tool arguments are the exception: a tool must get valid text, so they are refused instead
/// (<see cref="IsWellFormedJson"/>).
/// </summary>
/// <remarks>
/// JavaScript's <c>JSON.stringify</c> writes a lone surrogate as a <c>\uD800</c> escape; System.Text.Json parses such
/// text lazily and throws only when the string is read or written. Repairing the JSON text before it is parsed
/// (<see cref="RepairJson"/>) is therefore the cheap and complete fix where values come out of an engine as text.
/// </remarks>
internal static class WellFormedText
{
    /// <summary>What a lone surrogate becomes.</summary>
    public const char Replacement = '\uFFFD';

    private const string ReplacementEscape = "\\uFFFD";

    /// <summary>Whether <paramref name="text"/> holds no lone surrogate.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => FirstLoneSurrogate(text) < 0;

    /// <summary><paramref name="text"/> with every lone surrogate replaced by U+FFFD; the same instance when there is none.</summary>
    public static string Repair(string text)
    {
        var first = FirstLoneSurrogate(text);
        if (first < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = first; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = Replacement;
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// Whether the JSON text <paramref name="json"/> (valid JSON) holds no lone surrogate, neither as a raw character
    /// nor as a <c>\uXXXX</c> escape.
    /// </summary>
    public static bool IsWellFormedJson(string json) => IsWellFormed(json) && FirstLoneEscape(json, 0) < 0;

    /// <summary>
    /// The JSON text <paramref name="json"/> (valid JSON) with every lone surrogate, raw or escaped, replaced by U+FFFD;
    /// the same instance when there is none.
    /// </summary>
    public static string RepairJson(string json)
    {
        json = Repair(json);
        var at = FirstLoneEscape(json, 0);
        if (at < 0)
        {
            return json;
        }

        var repaired = new StringBuilder(json.Length);
        var copied = 0;
        while (at >= 0)
        {
            repaired.Append(json, copied, at - copied).Append(ReplacementEscape);
            copied = at + 6;
            at = FirstLoneEscape(json, copied);
        }

        return repaired.Append(json, copied, json.Length - copied).ToString();
    }

    /// <summary>
    /// <paramref name="node"/> with every string and key well formed: the same instance when it already is, else a
    /// repaired copy. Walks the whole tree, so it is for the rare path where a write already failed on such text.
    /// </summary>
    /// <exception cref="InvalidOperationException">An object parsed from JSON text has a key that is not valid UTF-16:
    /// System.Text.Json cannot read such a key back.</exception>
    public static JsonNode? Repair(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var members = obj.Select(p => (Key: Repair(p.Key), Value: Repair(p.Value), Original: p)).ToList();
                if (members.All(m => ReferenceEquals(m.Key, m.Original.Key) && ReferenceEquals(m.Value, m.Original.Value)))
                {
                    return obj;
                }

                var copy = new JsonObject();
                foreach (var (key, value, original) in members)
                {
                    copy[key] = ReferenceEquals(value, original.Value) ? value?.DeepClone() : value;
                }

                return copy;
            case JsonArray array:
                var items = array.Select(item => (Repaired: Repair(item), Original: item)).ToList();
                return items.All(i => ReferenceEquals(i.Repaired, i.Original))
                    ? array
                    : new JsonArray([.. items.Select(i => ReferenceEquals(i.Repaired, i.Original) ? i.Original?.DeepClone() : i.Repaired)]);
            default:
                return RepairValue((JsonValue)node);
        }
    }

    /// <summary>The outcome's texts (error, warnings, logs) well formed; its value is left as it is.</summary>
    public static Runtime.ScriptOutcome RepairTexts(Runtime.ScriptOutcome outcome)
    {
        var error = Repair(outcome.Error);
        var warnings = RepairAll(outcome.Warnings, w => Repair(w)!);
        var logs = RepairAll(outcome.Logs, l => IsWellFormed(l.Message) ? l : l with { Message = Repair(l.Message) });
        return ReferenceEquals(error, outcome.Error) && ReferenceEquals(warnings, outcome.Warnings) && ReferenceEquals(logs, outcome.Logs)
            ? outcome
            : outcome with { Error = error, Warnings = warnings, Logs = logs };
    }

    /// <summary>A copy of <paramref name="item"/> whose every text and value is well formed (see <see cref="Repair(JsonNode?)"/>).</summary>
    /// <exception cref="ArgumentException">A value holds a key that cannot be read back (see <see cref="Repair(JsonNode?)"/>).</exception>
    public static ResponseItem Repair(ResponseItem item)
    {
        try
        {
            return item switch
            {
                TextItem text => text with { Text = Repair(text.Text) },
                ScriptResultItem script => script with
                {
                    Outcome = RepairTexts(script.Outcome) with
                    {
                        Value = Repair(script.Outcome.Value),
                        Calls = [.. script.Outcome.Calls.Select(c => c with { Result = RepairOrKeep(c.Result) })],
                    },
                },
                _ => item,
            };
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"The item at index {item.Index} holds a JSON key that is not valid UTF-16 text and cannot be read.", nameof(item), e);
        }
    }

    // A call's result that cannot be read is kept: the partial results leave it out (WireCalls).
    private static JsonNode? RepairOrKeep(JsonNode? result)
    {
        try
        {
            return Repair(result);
        }
        catch (InvalidOperationException)
        {
            return result;
        }
    }

    /// <summary>Whether <paramref name="exception"/> is System.Text.Json failing on a lone surrogate it was asked to read.</summary>
    public static bool IsLoneSurrogateFailure(Exception exception) => exception switch
    {
        InvalidOperationException => true,
        JsonException { InnerException: InvalidOperationException } => true,
        _ => false,
    };

    private static ScriptError? Repair(ScriptError? error) =>
        error is null || (IsWellFormed(error.Message) && IsWellFormed(error.Stack))
            ? error
            : error with { Message = Repair(error.Message), Stack = error.Stack is null ? null : Repair(error.Stack) };

    private static IReadOnlyList<T> RepairAll<T>(IReadOnlyList<T> list, Func<T, T> repair)
        where T : class
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (!ReferenceEquals(repair(list[i]), list[i]))
            {
                return [.. list.Select(repair)];
            }
        }

        return list;
    }

    private static JsonNode RepairValue(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            if (element.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array))
            {
                return value;
            }

            var raw = element.GetRawText();
            return IsWellFormedJson(raw) ? value : JsonNode.Parse(RepairJson(raw))!;
        }

        return value.TryGetValue<string>(out var text) && !IsWellFormed(text) ? JsonValue.Create(Repair(text)) : value;
    }

    /// <summary>Index of the first UTF-16 surrogate without its partner, or -1 when the text is well formed.</summary>
    internal static int FirstLoneSurrogate(ReadOnlySpan<char> text)
    {
        // Vectorized skip to the first surrogate; most texts have none.
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return -1;
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    // The index of the next "\uXXXX" escape from `start` that encodes a lone surrogate. In valid JSON a backslash
    // only ever starts an escape inside a string, so no string tracking is needed.
    private static int FirstLoneEscape(string json, int start)
    {
        var i = start;
        while (i < json.Length && (i = json.IndexOf('\\', i)) >= 0)
        {
            var unit = Escaped(json, i);
            if (unit is null || !char.IsSurrogate(unit.Value))
            {
                i += 2; // any escape is at least two characters; the backslash of "\\" must not start another
                continue;
            }

            if (char.IsHighSurrogate(unit.Value) && Escaped(json, i + 6) is { } low && char.IsLowSurrogate(low))
            {
                i += 12;
                continue;
            }

            return i;
        }

        return -1;
    }

    // The code unit of the "\uXXXX" escape at `at`, or null when there is none.
    private static char? Escaped(string json, int at) =>
        at + 6 <= json.Length && json[at] == '\\' && json[at + 1] == 'u'
        && ushort.TryParse(json.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit)
            ? (char)unit
            : null;
}
