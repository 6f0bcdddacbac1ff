namespace ScriptHarness.Tools.BuiltIn;

/// <summary>What the built-in toolsets need from the host.</summary>
public sealed class BuiltInToolSetOptions
{
    /// <summary>
    /// The directory the <c>files</c> tools are confined to; must exist. Default null: the <c>files</c> toolset
    /// cannot be resolved until a root is given, so no directory is ever exposed by accident.
    /// </summary>
    public string? WorkspaceRoot { get; set; }

    /// <summary>The clock for time-based tools such as <c>test.sleep</c>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
