namespace ScriptHarness.Tools.BuiltIn;

/// <summary>A file or directory found by <see cref="Workspace.Enumerate"/>.</summary>
/// <param name="Path">The entry as a <see cref="WorkspacePath"/>.</param>
/// <param name="IsDirectory">Whether the entry (or the target of its link) is a directory.</param>
/// <param name="Size">Size in bytes for files, 0 for directories.</param>
/// <param name="IsLink">Whether the entry is a symbolic link (to somewhere inside the workspace).</param>
internal sealed record WorkspaceEntry(WorkspacePath Path, bool IsDirectory, long Size, bool IsLink);
