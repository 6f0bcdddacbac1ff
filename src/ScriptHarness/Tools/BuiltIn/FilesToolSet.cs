namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// The built-in <c>files</c> toolset: <c>files.list</c>, <c>files.read</c>, <c>files.search</c> and
/// <c>files.write</c> (which needs approval), all confined to one workspace directory.
/// </summary>
/// <remarks>
/// Every path is relative to the workspace root. Absolute paths, NUL characters, <c>..</c> above the root and
/// symbolic links leading outside it are rejected with <c>tool_validation_failed</c>; no message ever shows the
/// host path of the root. A missing file is a <c>tool_execution_failed</c>.
/// </remarks>
public static class FilesToolSet
{
    /// <summary>The toolset's name.</summary>
    public const string Name = "files";

    /// <summary>Creates the toolset over <paramref name="workspaceRoot"/>, an existing directory.</summary>
    /// <exception cref="ArgumentException">The root is empty or not an existing directory.</exception>
    public static ToolSet Create(string workspaceRoot)
    {
        var workspace = new Workspace(workspaceRoot);
        return new ToolSet(Name,
        [
            FilesListTool.Create(workspace),
            FilesReadTool.Create(workspace),
            FilesSearchTool.Create(workspace),
            FilesWriteTool.Create(workspace),
        ]);
    }
}
