using System.Text.Json.Nodes;
using ScriptHarness.Serialization;

namespace ScriptHarness.Engines;

/// <summary>
/// Lone surrogates (half of a UTF-16 pair), which JavaScript strings may hold and JSON writers cannot: how an engine
/// finds them in what crosses to the host, and replaces them with U+FFFD where a value must still get through.
/// </summary>
public static class LoneSurrogates
{
    /// <summary>Whether <paramref name="text"/> holds no lone surrogate.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => WellFormedText.IsWellFormed(text);

    /// <summary>Whether JSON text holds no lone surrogate, neither raw nor as a <c>\uD800</c>-style escape.</summary>
    public static bool IsWellFormedJson(string json) => WellFormedText.IsWellFormedJson(json);

    /// <summary><paramref name="text"/> with every lone surrogate replaced by U+FFFD.</summary>
    public static string Repair(string text) => WellFormedText.Repair(text);

    /// <summary>A copy of <paramref name="node"/> whose strings hold no lone surrogate (U+FFFD instead).</summary>
    public static JsonNode? Repair(JsonNode? node) => WellFormedText.Repair(node);

    /// <summary>Whether a JSON writer or reader failed because of a lone surrogate.</summary>
    public static bool IsFailure(Exception exception) => WellFormedText.IsLoneSurrogateFailure(exception);
}
