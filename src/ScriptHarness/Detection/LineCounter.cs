namespace ScriptHarness.Detection;

/// <summary>
/// Turns reply offsets into 1-based line:column for error messages, without a pass over every character.
/// </summary>
/// <remarks>
/// The scanner drops text from its buffer once it is emitted, so this keeps a summary of the dropped text (its
/// line count and where its last line starts) and a cursor at the last position located. Positions are asked
/// for in increasing order, so each stretch of text is counted about once (span counting is vectorised); a
/// position before the cursor is counted again from the buffer's start.
/// </remarks>
internal sealed class LineCounter
{
    private int _originLines;     // line breaks before the buffer's origin
    private int _originLineStart; // reply offset where the line holding the buffer's origin starts
    private int _cursor;          // reply offset of the last position located, never before the origin
    private int _cursorLines;
    private int _cursorLineStart;

    /// <summary>Folds text that is leaving the buffer into the summary.</summary>
    /// <param name="dropped">The text leaving the front of the buffer.</param>
    /// <param name="origin">The reply offset of <paramref name="dropped"/>'s first character.</param>
    public void Drop(ReadOnlySpan<char> dropped, int origin)
    {
        var breaks = dropped.Count('\n');
        if (breaks > 0)
        {
            _originLines += breaks;
            _originLineStart = origin + dropped.LastIndexOf('\n') + 1;
        }

        if (_cursor < origin + dropped.Length)
        {
            (_cursor, _cursorLines, _cursorLineStart) = (origin + dropped.Length, _originLines, _originLineStart);
        }
    }

    /// <summary>The 1-based line and column of <c>buffer[index]</c>.</summary>
    /// <param name="buffer">The buffered text.</param>
    /// <param name="origin">The reply offset of <paramref name="buffer"/>'s first character.</param>
    /// <param name="index">The position, as an index into <paramref name="buffer"/>.</param>
    public (int Line, int Column) Locate(ReadOnlySpan<char> buffer, int origin, int index)
    {
        var position = origin + index;
        if (position < _cursor)
        {
            (_cursor, _cursorLines, _cursorLineStart) = (origin, _originLines, _originLineStart);
        }

        var gap = buffer[(_cursor - origin)..index];
        var breaks = gap.Count('\n');
        if (breaks > 0)
        {
            _cursorLines += breaks;
            _cursorLineStart = _cursor + gap.LastIndexOf('\n') + 1;
        }

        _cursor = position;
        return (_cursorLines + 1, position - _cursorLineStart + 1);
    }
}
