namespace ScriptHarness.Runtime;

/// <summary>How a script block ended.</summary>
public enum ScriptStatus
{
    /// <summary>The script ran and returned a value.</summary>
    Ok,
    /// <summary>The script was rejected or failed; see the error.</summary>
    Error,
    /// <summary>The script was not run (tool mode <see cref="ToolMode.Disabled"/>).</summary>
    Skipped,
}
