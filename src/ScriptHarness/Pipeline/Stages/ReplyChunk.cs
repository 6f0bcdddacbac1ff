namespace ScriptHarness.Pipeline;

/// <summary>
/// Input of the detect stage: a piece of the reply, the end-of-reply marker that flushes the scanner, or the marker of a
/// reply over <see cref="ScriptHarnessOptions.MaxReplyLength"/>, read no further.
/// </summary>
internal readonly record struct ReplyChunk(string? Text, bool TooLong = false)
{
    public static ReplyChunk End => new(null);

    public static ReplyChunk Overflow => new(null, TooLong: true);

    public bool IsEnd => Text is null;
}
