using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <summary>
/// The one rule for results JSON cannot carry, decided here for every engine: a result holding <c>NaN</c> or an
/// infinity (a .NET <c>double</c>, <c>float</c> or <c>Half</c>, or inside a CLR value) fails the call with
/// <c>tool_execution_failed</c>, naming where, instead of reaching an engine that would make it <c>null</c>, a
/// <c>harness_internal</c> or an error carrying the .NET message. Parsed JSON cannot hold such numbers, so values
/// backed by a <see cref="JsonElement"/> are accepted as they are.
/// </summary>
internal static class ToolResultCheck
{
    // Deeper results fail in the engines anyway (64 levels is System.Text.Json's writing limit); not descending
    // further keeps this walk's stack bounded whatever a handler builds.
    private const int MaxDepth = 64;

    /// <summary>
    /// Whether this runtime's JsonObject and JsonArray still keep the parsed element they wrap in <c>_jsonElement</c>
    /// until first read (checked once); when they do not, every container is walked, correct but slower.
    /// </summary>
    internal static bool CanSeeParsedContainers { get; } = ProbeParsedContainers();

    /// <summary>Throws <c>tool_execution_failed</c> when <paramref name="result"/> holds a number JSON cannot carry.</summary>
    public static void ThrowIfNotJson(string tool, JsonNode? result)
    {
        if (result is not null && Find(result, 0) is { } problem)
        {
            throw ToolException.Execution($"{tool} returned {problem.What} at {Path(problem)}, which JSON cannot carry");
        }
    }

    private static Problem? Find(JsonNode node, int depth)
    {
        if (IsParsed(node))
        {
            return null;
        }

        switch (node)
        {
            case JsonObject obj when depth < MaxDepth:
                foreach (var (name, value) in obj)
                {
                    if (value is not null && Find(value, depth + 1) is { } inner)
                    {
                        inner.Path.Add(name);
                        return inner;
                    }
                }

                return null;
            case JsonArray array when depth < MaxDepth:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && Find(item, depth + 1) is { } inner)
                    {
                        inner.Path.Add(i);
                        return inner;
                    }
                }

                return null;
            case JsonValue value:
                return Check(value);
            default:
                return null;
        }
    }

    private static Problem? Check(JsonValue value)
    {
        JsonValueKind kind;
        try
        {
            // Cheap for parsed and primitive values; a CLR object is serialized to find out, and fails here if it holds NaN.
            kind = value.GetValueKind();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or JsonException or InvalidOperationException)
        {
            return new Problem("a value");
        }

        if (kind != JsonValueKind.Number || value.TryGetValue<JsonElement>(out _))
        {
            return null;
        }

        double number;
        if (value.TryGetValue(out double d))
        {
            number = d;
        }
        else if (value.TryGetValue(out float f))
        {
            number = f;
        }
        else if (value.TryGetValue(out Half h))
        {
            number = (double)h;
        }
        else
        {
            return null;
        }

        return double.IsFinite(number) ? null : new Problem(double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
    }

    /// <summary>
    /// Whether <paramref name="node"/> is parsed JSON nobody has read into nodes yet (the arguments an echo returns, a
    /// handler's <c>JsonNode.Parse</c>). Enumerating it would build a node per member — and engines write an unread
    /// container straight from its element, so the walk would slow them too (a 64 KB echo by about a third).
    /// </summary>
    private static bool IsParsed(JsonNode node) => CanSeeParsedContainers && node switch
    {
        JsonObject obj => ParsedElement(obj).HasValue,
        JsonArray array => ParsedElement(array).HasValue,
        _ => false,
    };

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_jsonElement")]
    private static extern ref JsonElement? ParsedElement(JsonObject obj);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_jsonElement")]
    private static extern ref JsonElement? ParsedElement(JsonArray array);

    private static bool ProbeParsedContainers()
    {
        try
        {
            return JsonNode.Parse("[{}]") is JsonArray array && ParsedElement(array).HasValue
                && JsonNode.Parse("{}") is JsonObject obj && ParsedElement(obj).HasValue
                && !ParsedElement(new JsonArray(1)).HasValue;
        }
        catch (MissingFieldException)
        {
            return false;
        }
    }

    private static string Path(Problem problem)
    {
        var path = new StringBuilder("$");
        for (var i = problem.Path.Count - 1; i >= 0; i--)
        {
            _ = problem.Path[i] is int index ? path.Append('[').Append(index).Append(']') : path.Append('.').Append(problem.Path[i]);
        }

        return path.ToString();
    }

    /// <summary>What is wrong, and where: the path is collected from the inside out.</summary>
    private sealed record Problem(string What)
    {
        public List<object> Path { get; } = [];
    }
}
