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

    /// <summary>Recursion through async <c>yield*</c>: a limit met deep in the frames Jint unwinds by rethrowing.</summary>
    DeepUnwinding,
}
