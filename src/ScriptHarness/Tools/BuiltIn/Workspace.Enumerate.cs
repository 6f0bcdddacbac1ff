namespace ScriptHarness.Tools.BuiltIn;

/// <summary>Directory walking for <c>files.list</c> and <c>files.search</c>.</summary>
internal sealed partial class Workspace
{
    private static readonly EnumerationOptions ChildrenOnly = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.None, // dot-files are part of a project too
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// The entries under <paramref name="directory"/>, depth-first with the children of each directory sorted by
    /// ordinal name: a directory comes right before its contents. Lazy, so callers that stop at a limit do not
    /// walk the rest of the tree. Links are followed only when their target is inside the workspace, and linked
    /// directories are not descended into (no cycles, no duplicates); links pointing outside are left out.
    /// </summary>
    public IEnumerable<WorkspaceEntry> Enumerate(WorkspacePath directory, bool recursive, CancellationToken cancellationToken)
    {
        var stack = new Stack<IEnumerator<WorkspaceEntry>>();
        stack.Push(Children(directory).GetEnumerator());
        while (stack.TryPeek(out var top))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!top.MoveNext())
            {
                top.Dispose();
                stack.Pop();
                continue;
            }

            var entry = top.Current;
            yield return entry;
            if (recursive && entry.IsDirectory && !entry.IsLink)
            {
                stack.Push(Children(entry.Path).GetEnumerator());
            }
        }
    }

    private IEnumerable<WorkspaceEntry> Children(WorkspacePath directory)
    {
        var entries = new List<WorkspaceEntry>();
        foreach (var info in ReadDirectory(directory.FullPath))
        {
            if (info.LinkTarget is null)
            {
                var path = new WorkspacePath(directory.Child(info.Name), info.FullName);
                entries.Add(info is FileInfo file
                    ? new WorkspaceEntry(path, IsDirectory: false, file.Length, IsLink: false)
                    : new WorkspaceEntry(path, IsDirectory: true, Size: 0, IsLink: false));
            }
            else if (Follow(directory, info.Name) is { } target)
            {
                entries.Add(target);
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path.Relative, b.Path.Relative));
        return entries;
    }

    // A subdirectory that vanished or cannot be read is listed as empty rather than failing the whole walk.
    private static FileSystemInfo[] ReadDirectory(string fullPath)
    {
        try
        {
            return new DirectoryInfo(fullPath).GetFileSystemInfos("*", ChildrenOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // Resolves a link found while walking; null when it points outside the workspace or nowhere.
    private WorkspaceEntry? Follow(WorkspacePath directory, string name)
    {
        var full = Canonicalize(directory.FullPath, [name]);
        if (full is null || !Contains(full))
        {
            return null;
        }

        var path = new WorkspacePath(directory.Child(name), full);
        if (Directory.Exists(full))
        {
            return new WorkspaceEntry(path, IsDirectory: true, Size: 0, IsLink: true);
        }

        var file = new FileInfo(full);
        return file.Exists ? new WorkspaceEntry(path, IsDirectory: false, file.Length, IsLink: true) : null;
    }
}
