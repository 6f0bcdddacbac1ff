namespace ScriptHarness.Detection;

/// <summary>
/// Recognises the markers that open and close a script block. Each matcher looks at the buffered text from a
/// candidate position and answers <see cref="MarkerMatch.NeedMore"/> when the text ends before it can decide,
/// so that a marker split across chunks is decided once, when the rest arrives.
/// </summary>
/// <remarks>
/// Fences are exactly three backticks at the start of a line. An opening fence line is
/// <c>```</c> + <c>js|javascript|ts|typescript</c> + spaces or tabs + <c>tool-calls</c> + optional spaces or tabs +
/// a line break. A closing fence line is <c>```</c> + optional spaces or tabs + a line break (or the end of the reply).
/// </remarks>
internal static class BlockMarkers
{
    /// <summary>The opening tag.</summary>
    public const string OpenTag = "<tool-calls>";

    /// <summary>The closing tag.</summary>
    public const string CloseTag = "</tool-calls>";

    /// <summary>
    /// Longest fence line considered. It bounds how much text a fence candidate can hold back when it arrives
    /// one character at a time, so a line of a million spaces cannot make the scan quadratic.
    /// </summary>
    public const int MaxFenceLine = 256;

    private const string Fence = "```";
    private const string FenceInfo = "tool-calls";

    /// <summary>Matches <paramref name="literal"/> at the start of <paramref name="text"/>.</summary>
    /// <param name="text">Buffered text from the candidate position.</param>
    /// <param name="literal">The marker.</param>
    /// <param name="final">Whether the reply ends with <paramref name="text"/>.</param>
    public static MarkerMatch MatchLiteral(ReadOnlySpan<char> text, string literal, bool final)
    {
        if (text.Length >= literal.Length)
        {
            return text.StartsWith(literal, StringComparison.Ordinal) ? MarkerMatch.Match : MarkerMatch.NoMatch;
        }

        return !final && literal.AsSpan().StartsWith(text, StringComparison.Ordinal) ? MarkerMatch.NeedMore : MarkerMatch.NoMatch;
    }

    /// <summary>Matches an opening fence line at the start of <paramref name="text"/> (a line start).</summary>
    /// <param name="text">Buffered text from the first backtick.</param>
    /// <param name="final">Whether the reply ends with <paramref name="text"/>.</param>
    /// <param name="length">On a match, the length of the fence line including its line break.</param>
    /// <param name="form">On a match, the language the fence names.</param>
    public static MarkerMatch MatchFenceOpen(ReadOnlySpan<char> text, bool final, out int length, out BlockForm form)
    {
        length = 0;
        form = BlockForm.FencedJavaScript;
        var cut = Cut(ref text, final, out var ends);
        if (!text.StartsWith(Fence, StringComparison.Ordinal))
        {
            return IsPrefix(text, Fence) ? cut : MarkerMatch.NoMatch;
        }

        var i = Fence.Length;
        var langEnd = i;
        while (langEnd < text.Length && char.IsAsciiLetterLower(text[langEnd]))
        {
            langEnd++;
        }

        if (langEnd == text.Length)
        {
            return cut; // the language name may go on
        }

        switch (text[i..langEnd])
        {
            case "js" or "javascript":
                form = BlockForm.FencedJavaScript;
                break;
            case "ts" or "typescript":
                form = BlockForm.FencedTypeScript;
                break;
            default:
                return MarkerMatch.NoMatch;
        }

        i = SkipBlanks(text, langEnd);
        if (i == langEnd)
        {
            return MarkerMatch.NoMatch; // "```js" alone, or "```js(" …: an ordinary fence
        }

        var rest = text[i..];
        if (!rest.StartsWith(FenceInfo, StringComparison.Ordinal))
        {
            return IsPrefix(rest, FenceInfo) ? cut : MarkerMatch.NoMatch;
        }

        return MatchLineEnd(text, SkipBlanks(text, i + FenceInfo.Length), cut, ends, out length, includeBreak: true);
    }

    /// <summary>Matches a closing fence line at the start of <paramref name="text"/> (a line start).</summary>
    /// <param name="text">Buffered text from the first backtick.</param>
    /// <param name="final">Whether the reply ends with <paramref name="text"/>.</param>
    /// <param name="length">
    /// On a match, the length of <c>```</c> and its trailing blanks. The line break stays outside the block, so the
    /// prose after the block starts with it.
    /// </param>
    public static MarkerMatch MatchFenceClose(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        var cut = Cut(ref text, final, out var ends);
        if (!text.StartsWith(Fence, StringComparison.Ordinal))
        {
            return IsPrefix(text, Fence) ? cut : MarkerMatch.NoMatch;
        }

        return MatchLineEnd(text, SkipBlanks(text, Fence.Length), cut, ends, out length, includeBreak: false);
    }

    // Limits the look-ahead to one fence line. Returns what "ran out of text" means: wait for more, or no match
    // (the reply has ended, or the line is too long to be a fence). `ends` says whether the reply ends inside the window.
    private static MarkerMatch Cut(ref ReadOnlySpan<char> text, bool final, out bool ends)
    {
        if (text.Length > MaxFenceLine)
        {
            text = text[..MaxFenceLine];
            ends = false;
            return MarkerMatch.NoMatch;
        }

        ends = final;
        return final ? MarkerMatch.NoMatch : MarkerMatch.NeedMore;
    }

    // At `i` (after trailing blanks) the line must end: "\n", "\r\n", or the end of the reply.
    private static MarkerMatch MatchLineEnd(ReadOnlySpan<char> text, int i, MarkerMatch cut, bool ends, out int length, bool includeBreak)
    {
        length = i;
        var j = i < text.Length && text[i] == '\r' ? i + 1 : i;
        if (j == text.Length)
        {
            // The reply ends on the fence line: that counts as a line end.
            length = includeBreak ? j : i;
            return ends ? MarkerMatch.Match : cut;
        }

        if (text[j] != '\n')
        {
            return MarkerMatch.NoMatch;
        }

        if (includeBreak)
        {
            length = j + 1;
        }

        return MarkerMatch.Match;
    }

    private static int SkipBlanks(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static bool IsPrefix(ReadOnlySpan<char> text, string literal) =>
        text.Length < literal.Length && literal.AsSpan().StartsWith(text, StringComparison.Ordinal);
}
