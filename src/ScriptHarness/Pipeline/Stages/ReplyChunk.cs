namespace ScriptHarness.Pipeline;

/// <summary>Input of the detect stage: a piece of the reply, or the end-of-reply marker that flushes the scanner.</summary>
internal readonly record struct ReplyChunk(string? Text)
{
    public static ReplyChunk End => new(null);

    public bool IsEnd => Text is null;
}
