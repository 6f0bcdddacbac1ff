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
    /// <summary>
    /// The script stopped at a tool call that needs approval, with durable approvals on
    /// (<c>ScriptHarnessOptions.DurableApprovals</c>): see <see cref="ScriptOutcome.Suspension"/>; continue it with
    /// <c>ResumeAsync</c>.
    /// </summary>
    Suspended,
}
