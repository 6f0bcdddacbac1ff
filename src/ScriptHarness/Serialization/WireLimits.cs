using System.Text.Json.Nodes;

namespace ScriptHarness.Serialization;

/// <summary>Bounds shared by both wire forms, so whatever one form writes the other can read back.</summary>
internal static class WireLimits
{
    /// <summary>
    /// Deepest nesting of objects and arrays in one item, the item's own object counted as 1 (System.Text.Json's
    /// default). A script's value therefore nests at most 63 levels. Readers reject deeper input so untrusted
    /// bytes cannot exhaust the stack.
    /// </summary>
    internal const int MaxDepth = 64;

    /// <summary>Deepest nesting of a script's value: its own container sits inside the item's object.</summary>
    internal const int MaxValueDepth = MaxDepth - 1;

    /// <summary>
    /// Most bytes of partial results one line carries: the results' compact JSON in UTF-8, as the JSON Lines form
    /// writes it (128 KiB, the default return-value limit). Entries after the first that would go over are left out.
    /// </summary>
    internal const int MaxPartialResultsBytes = 128 * 1024;

    // A partial result sits in an entry of the partialResults array: item 1, array 2, entry 3, its own container 4.
    private const int PartialResultDepth = 4;

    /// <summary>
    /// Rejects a value the wire forms cannot carry, before any byte of the item is written. Outcomes the harness makes
    /// never hold one (<see cref="FitsValue"/>); this guards outcomes a host made itself.
    /// </summary>
    /// <exception cref="ArgumentException">The value nests deeper than <see cref="MaxValueDepth"/> levels.</exception>
    internal static void EnsureValueDepth(JsonNode? value, int index)
    {
        if (!FitsValue(value))
        {
            throw new ArgumentException(
                $"The value of the script at index {index} nests deeper than {MaxValueDepth} levels; the wire forms cannot carry it.",
                "item");
        }
    }

    /// <summary>Whether a script's value nests shallowly enough for the wire forms (at most <see cref="MaxValueDepth"/> levels).</summary>
    // The value sits inside the item's object, so its own container is at depth 2.
    internal static bool FitsValue(JsonNode? value) => !Exceeds(value, depth: 2);

    /// <summary>Whether a partial result nests shallowly enough for the wire forms (at most 61 levels).</summary>
    internal static bool FitsPartialResult(JsonNode? result) => !Exceeds(result, PartialResultDepth);

    // Recursion stops as soon as the limit is passed, so it is bounded by MaxDepth whatever the tree's depth. Indexed
    // loops: every outcome's value is walked here, when it is composed and when it is written, so no enumerator or
    // closure per container.
    private static bool Exceeds(JsonNode? node, int depth)
    {
        switch (node)
        {
            case JsonObject obj:
                if (depth > MaxDepth)
                {
                    return true;
                }

                for (var i = 0; i < obj.Count; i++)
                {
                    if (Exceeds(obj.GetAt(i).Value, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array:
                if (depth > MaxDepth)
                {
                    return true;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (Exceeds(array[i], depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
