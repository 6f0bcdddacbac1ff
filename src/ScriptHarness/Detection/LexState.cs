namespace ScriptHarness.Detection;

/// <summary>Where the scanner is inside a script block, lexically (just enough JavaScript to find the block's end).</summary>
internal enum LexState
{
    /// <summary>Ordinary code: markers are recognised here and nowhere else.</summary>
    Code,

    /// <summary>Inside <c>'…'</c>.</summary>
    SingleQuoted,

    /// <summary>Inside <c>"…"</c>.</summary>
    DoubleQuoted,

    /// <summary>Inside the text part of a template literal <c>`…`</c>.</summary>
    Template,

    /// <summary>Inside <c>// …</c>, up to the line break.</summary>
    LineComment,

    /// <summary>Inside <c>/* … */</c>.</summary>
    BlockComment,

    /// <summary>Inside a regular expression literal <c>/…/</c>.</summary>
    Regex,

    /// <summary>Inside a character class <c>[…]</c> of a regular expression literal, where <c>/</c> does not end it.</summary>
    RegexClass,
}
