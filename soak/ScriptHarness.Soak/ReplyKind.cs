namespace ScriptHarness.Soak;

/// <summary>The kinds of block a soak reply carries first; the second block is always a plain return.</summary>
internal enum ReplyKind
{
    Ok,
    ToolHeavy,
    CaughtFailure,
    SyntaxError,
    Timeout,
    MemoryBomb,
    NeverSettling,
    HugeReturn,
}
