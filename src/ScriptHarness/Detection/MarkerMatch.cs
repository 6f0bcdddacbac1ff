namespace ScriptHarness.Detection;

/// <summary>The answer of a block-marker matcher looking at the text buffered so far.</summary>
internal enum MarkerMatch
{
    /// <summary>The text at the position is not the marker.</summary>
    NoMatch,

    /// <summary>The text at the position is the marker.</summary>
    Match,

    /// <summary>The buffered text is a prefix of the marker; the next chunk decides.</summary>
    NeedMore,
}
