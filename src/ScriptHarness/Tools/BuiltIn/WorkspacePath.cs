namespace ScriptHarness.Tools.BuiltIn;

/// <summary>A path checked by <see cref="Workspace.Resolve"/>.</summary>
/// <param name="Relative">
/// The normalized path relative to the workspace root with <c>/</c> separators, empty for the root itself. The
/// only form shown to scripts.
/// </param>
/// <param name="FullPath">The host path with every symbolic link resolved; the one to open. Never shown to scripts.</param>
internal readonly record struct WorkspacePath(string Relative, string FullPath)
{
    /// <summary><see cref="Relative"/> for messages: the root shows as <c>.</c>.</summary>
    public string Display => Relative.Length == 0 ? "." : Relative;

    /// <summary>The relative path of the child <paramref name="name"/>.</summary>
    public string Child(string name) => Relative.Length == 0 ? name : Relative + "/" + name;
}
