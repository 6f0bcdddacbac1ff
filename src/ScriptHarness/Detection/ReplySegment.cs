namespace ScriptHarness.Detection;

/// <summary>
/// One piece of a model reply, in reply order: prose (<see cref="TextSegment"/>), a script block
/// (<see cref="ScriptSegment"/>) or a block that could not be read (<see cref="MalformedSegment"/>).
/// </summary>
/// <param name="Index">0-based position of the segment in the reply.</param>
/// <param name="Start">Offset of the segment's first character in the reply (UTF-16 code units).</param>
/// <param name="Length">Length of the segment in the reply, tags included.</param>
public abstract record ReplySegment(int Index, int Start, int Length);

/// <summary>Prose between blocks, returned to the conversation as is.</summary>
/// <param name="Index">0-based position of the segment in the reply.</param>
/// <param name="Start">Offset in the reply.</param>
/// <param name="Length">Length in the reply.</param>
/// <param name="Text">The prose.</param>
public sealed record TextSegment(int Index, int Start, int Length, string Text) : ReplySegment(Index, Start, Length);

/// <summary>A complete script block.</summary>
/// <param name="Index">0-based position of the segment in the reply.</param>
/// <param name="Start">Offset of the opening tag or fence in the reply.</param>
/// <param name="Length">Length in the reply, opening and closing tags included.</param>
/// <param name="Source">The script between the tags.</param>
/// <param name="SourceStart">Offset of <paramref name="Source"/>'s first character in the reply.</param>
/// <param name="Form">How the block was written.</param>
public sealed record ScriptSegment(int Index, int Start, int Length, string Source, int SourceStart, BlockForm Form)
    : ReplySegment(Index, Start, Length);

/// <summary>A block the detector could not accept (unclosed, nested, or a stray closing tag).</summary>
/// <param name="Index">0-based position of the segment in the reply.</param>
/// <param name="Start">Offset in the reply.</param>
/// <param name="Length">Length in the reply.</param>
/// <param name="Raw">The text of the malformed block as written.</param>
/// <param name="Error">Why it was rejected: <c>unclosed_block</c> or <c>nested_block</c>.</param>
public sealed record MalformedSegment(int Index, int Start, int Length, string Raw, ScriptError Error)
    : ReplySegment(Index, Start, Length);

/// <summary>The ways a model writes a script block.</summary>
public enum BlockForm
{
    /// <summary><c>&lt;tool-calls&gt;…&lt;/tool-calls&gt;</c></summary>
    Tag,
    /// <summary>A fenced block opened by <c>```js tool-calls</c> (or <c>javascript</c>).</summary>
    FencedJavaScript,
    /// <summary>A fenced block opened by <c>```ts tool-calls</c> (or <c>typescript</c>); run as JavaScript.</summary>
    FencedTypeScript,
}
