namespace ScriptHarness.Detection;

/// <summary>What one step of the scanner achieved.</summary>
internal enum ScanStep
{
    /// <summary>The state changed; keep scanning.</summary>
    Continue,

    /// <summary>Everything buffered is consumed, or the next chunk is needed to decide.</summary>
    NeedMore,

    /// <summary>A block (script or malformed) was emitted; the scanner is back in prose.</summary>
    BlockEnded,
}
