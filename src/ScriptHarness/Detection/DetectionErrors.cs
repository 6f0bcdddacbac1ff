namespace ScriptHarness.Detection;

/// <summary>
/// The errors of the detection stage. Line and column are 1-based positions of the offending marker in the
/// whole reply (UTF-16 code units), set on <see cref="ScriptError.Line"/> and <see cref="ScriptError.Column"/>.
/// </summary>
internal static class DetectionErrors
{
    /// <summary>The message of a closing tag found in prose.</summary>
    public const string StrayCloseMessage = "stray </tool-calls> without a matching <tool-calls>";

    /// <summary>A <c>&lt;/tool-calls&gt;</c> outside any block.</summary>
    public static ScriptError StrayClose((int Line, int Column) at) =>
        new(ScriptErrorCode.NestedBlock, StrayCloseMessage) { Line = at.Line, Column = at.Column };

    /// <summary>A block opened inside another block.</summary>
    /// <param name="inner">The marker that opened the inner block.</param>
    /// <param name="innerAt">Where the inner block opens.</param>
    /// <param name="outer">The marker that opened the outer block.</param>
    /// <param name="outerAt">Where the outer block opens.</param>
    /// <param name="closed">Whether a closing marker was found after the inner opening.</param>
    public static ScriptError Nested(BlockForm inner, (int Line, int Column) innerAt, BlockForm outer, (int Line, int Column) outerAt, bool closed)
    {
        var message = $"{Describe(inner)} opened inside the {Describe(outer)} block that starts at line {outerAt.Line}, column {outerAt.Column}; "
            + "blocks cannot be nested, so close each block before opening the next"
            + (closed ? string.Empty : ", and the reply ended before the blocks were closed");
        return new(ScriptErrorCode.NestedBlock, message) { Line = innerAt.Line, Column = innerAt.Column };
    }

    /// <summary>A block still open when the reply ends.</summary>
    public static ScriptError Unclosed(BlockForm form, (int Line, int Column) at)
    {
        var closer = form == BlockForm.Tag ? BlockMarkers.CloseTag : "closing ``` line";
        return new(ScriptErrorCode.UnclosedBlock, $"the {Describe(form)} block is never closed: the reply ends before its {closer}")
        {
            Line = at.Line,
            Column = at.Column,
        };
    }

    private static string Describe(BlockForm form) => form switch
    {
        BlockForm.Tag => BlockMarkers.OpenTag,
        BlockForm.FencedTypeScript => "```ts tool-calls",
        _ => "```js tool-calls",
    };
}
