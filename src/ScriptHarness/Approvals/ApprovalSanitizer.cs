using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Approvals;

/// <summary>
/// Prepares tool arguments for a person to read: a deep copy with secrets redacted and long or deep values cut,
/// each cut saying how much was left out. The handler always receives the real arguments; this is display only.
/// </summary>
public static class ApprovalSanitizer
{
    /// <summary>What a sensitive property's value becomes.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>What an object or array nested too deep becomes.</summary>
    public const string TooDeep = "[…]";

    /// <summary>
    /// Returns a sanitized deep copy of <paramref name="arguments"/> (see <see cref="ApprovalSanitizerOptions"/>);
    /// <paramref name="arguments"/> itself is not changed.
    /// </summary>
    /// <exception cref="ConfigurationException"><paramref name="options"/> are invalid; every problem is listed at once.</exception>
    public static JsonNode? Sanitize(JsonNode? arguments, ApprovalSanitizerOptions? options = null)
    {
        options ??= ApprovalSanitizerOptions.Default;
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return Copy(arguments, 1, options);
    }

    private static JsonNode? Copy(JsonNode? node, int depth, ApprovalSanitizerOptions options) => node switch
    {
        null => null,
        JsonObject or JsonArray when depth > options.MaxDepth => JsonValue.Create(TooDeep),
        JsonObject o => CopyObject(o, depth, options),
        JsonArray a => CopyArray(a, depth, options),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var text) => JsonValue.Create(Shorten(text, options)),
        _ => node.DeepClone(),
    };

    private static JsonObject CopyObject(JsonObject source, int depth, ApprovalSanitizerOptions options)
    {
        var copy = new JsonObject();
        var kept = 0;
        foreach (var (key, value) in source)
        {
            if (kept == options.MaxProperties)
            {
                break;
            }

            // The key is matched in full, before it is shortened for display.
            copy[UniqueKey(copy, Shorten(key, options))] = IsSensitive(key, options) ? JsonValue.Create(Redacted) : Copy(value, depth + 1, options);
            kept++;
        }

        if (source.Count > kept)
        {
            copy[UniqueKey(copy, "…")] = $"({Count(source.Count - kept)} more properties)";
        }

        return copy;
    }

    private static JsonArray CopyArray(JsonArray source, int depth, ApprovalSanitizerOptions options)
    {
        var copy = new JsonArray();
        var kept = Math.Min(source.Count, options.MaxArrayItems);
        for (var i = 0; i < kept; i++)
        {
            copy.Add(Copy(source[i], depth + 1, options));
        }

        if (source.Count > kept)
        {
            copy.Add((JsonNode?)JsonValue.Create($"…({Count(source.Count - kept)} more items)"));
        }

        return copy;
    }

    private static string Shorten(string text, ApprovalSanitizerOptions options)
    {
        if (text.Length <= options.MaxStringLength)
        {
            return text;
        }

        // Never split a surrogate pair: half a character is not printable.
        var kept = char.IsHighSurrogate(text[options.MaxStringLength - 1]) ? options.MaxStringLength - 1 : options.MaxStringLength;
        return string.Concat(text.AsSpan(0, kept), $"…({Count(text.Length - kept)} more characters)");
    }

    private static bool IsSensitive(string key, ApprovalSanitizerOptions options)
    {
        foreach (var fragment in options.SensitiveKeyFragments)
        {
            if (key.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Shortened keys may collide; a person must still see every kept property.</summary>
    private static string UniqueKey(JsonObject target, string key)
    {
        var candidate = key;
        for (var n = 2; target.ContainsKey(candidate); n++)
        {
            candidate = $"{key} ({Count(n)})";
        }

        return candidate;
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
