namespace ScriptHarness.Detection;

/// <summary>
/// Splits a complete model reply into prose, script blocks and malformed blocks, in reply order.
/// </summary>
/// <remarks>
/// A block is written <c>&lt;tool-calls&gt;…&lt;/tool-calls&gt;</c>, or as a fenced block whose opening line is
/// <c>```js tool-calls</c> (also <c>javascript</c>, <c>ts</c>, <c>typescript</c>) and whose closing line is <c>```</c>.
/// A marker counts only in code: one inside a JavaScript string, template literal, comment or regular expression
/// does not end the block. The segments tile the reply: their <c>[Start, Start + Length)</c> slices, concatenated,
/// give back the reply exactly.
/// </remarks>
public static class ToolCallDetector
{
    private const int ChunkChars = 16 * 1024;

    /// <summary>Detects the blocks of <paramref name="reply"/>.</summary>
    /// <param name="reply">The whole model reply.</param>
    /// <returns>The segments, in reply order; empty for an empty reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reply"/> is null.</exception>
    public static IReadOnlyList<ReplySegment> Detect(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var segments = new List<ReplySegment>();
        var scanner = new ToolCallScanner(Math.Min(reply.Length, ChunkChars));

        // In chunks, so the scanner buffers one chunk plus the open segment rather than a copy of the whole reply
        // (a 10 MB reply would otherwise take 20 MB of large-object heap).
        for (var start = 0; start < reply.Length; start += ChunkChars)
        {
            scanner.Append(reply.AsSpan(start, Math.Min(ChunkChars, reply.Length - start)), segments);
        }

        scanner.Complete(segments);
        return segments;
    }
}
