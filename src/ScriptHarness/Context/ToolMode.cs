namespace ScriptHarness;

/// <summary>How tool calls are handled for a run.</summary>
public enum ToolMode
{
    /// <summary>Tools run for real. The default.</summary>
    Enabled,
    /// <summary>Handlers are not called; each call is recorded and returns a dry-run marker.</summary>
    DryRun,
    /// <summary>Scripts are not run at all; their blocks are reported as skipped.</summary>
    Disabled,
}
