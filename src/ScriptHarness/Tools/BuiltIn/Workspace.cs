namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// The directory the <c>files</c> tools are confined to. Every path a script passes goes through
/// <see cref="Resolve"/>: relative only, no NUL, no <c>..</c> above the root, and after following every symbolic
/// link still inside the root. Messages only ever show the script's relative path, never the host root.
/// </summary>
/// <remarks>
/// Scripts cannot create links through these tools, so the checks guard against links already in the workspace.
/// A host process swapping links between the check and the use is out of scope.
/// </remarks>
internal sealed partial class Workspace
{
    /// <summary>Longest path a script may pass, in characters.</summary>
    public const int MaxPathLength = 1024;

    // Like the kernel's ELOOP limit: stops link cycles.
    private const int MaxLinkHops = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static readonly char[] Separators = ['/', '\\'];

    private readonly string _root;
    private readonly string _rootWithSeparator;

    /// <summary>Opens the workspace at <paramref name="root"/>, which must be an existing directory.</summary>
    public Workspace(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new ArgumentException($"The workspace root '{full}' is not an existing directory.", nameof(root));
        }

        // Compare against the root's real path: it may itself sit under a link (macOS /tmp → /private/tmp).
        var fsRoot = Path.GetPathRoot(full)!;
        _root = Canonicalize(fsRoot, Split(full[fsRoot.Length..]))
            ?? throw new ArgumentException($"The workspace root '{full}' has a symbolic link cycle.", nameof(root));
        _rootWithSeparator = Path.EndsInDirectorySeparator(_root) ? _root : _root + Path.DirectorySeparatorChar;
    }

    /// <summary>The root itself.</summary>
    public WorkspacePath Root => new(string.Empty, _root);

    /// <summary>Checks and resolves a script's path; throws <c>tool_validation_failed</c> when it leaves the workspace.</summary>
    public WorkspacePath Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length > MaxPathLength)
        {
            throw ToolException.Validation($"path is longer than {MaxPathLength} characters");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw ToolException.Validation("path must not contain NUL characters");
        }

        if (Path.IsPathRooted(path) || path.StartsWith('/') || path.StartsWith('\\'))
        {
            throw ToolException.Validation($"path '{Show(path)}' is absolute; use a path relative to the workspace root");
        }

        var segments = new List<string>();
        foreach (var segment in Split(path))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    throw Outside(path);
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (OperatingSystem.IsWindows() && segment.Contains(':', StringComparison.Ordinal))
            {
                // Alternate data streams and drive-relative forms have no place in a workspace path.
                throw ToolException.Validation($"path '{Show(path)}' must not contain ':'");
            }
            else
            {
                segments.Add(segment);
            }
        }

        var full = Canonicalize(_root, segments);
        if (full is null || !Contains(full))
        {
            throw Outside(path);
        }

        return new WorkspacePath(string.Join('/', segments), full);
    }

    /// <summary>
    /// Where <paramref name="path"/> really is, relative to the root with <c>/</c> separators: its
    /// <see cref="WorkspacePath.FullPath"/> (links resolved) rather than the lexical <see cref="WorkspacePath.Relative"/>.
    /// </summary>
    public string RealRelative(WorkspacePath path) =>
        Path.GetRelativePath(_root, path.FullPath).Replace(Path.DirectorySeparatorChar, '/') is var real && real == "." ? string.Empty : real;

    /// <summary>A script-supplied path made safe to quote in a message: control characters replaced, length capped.</summary>
    public static string Show(string path)
    {
        var clipped = path.Length <= 200 ? path : path[..200] + "…";
        return string.Create(clipped.Length, clipped, static (dest, src) =>
        {
            for (var i = 0; i < dest.Length; i++)
            {
                dest[i] = char.IsControl(src[i]) ? '?' : src[i];
            }
        });
    }

    private static ToolException Outside(string path) =>
        ToolException.Validation($"path '{Show(path)}' is outside the workspace");

    private bool Contains(string fullPath) =>
        string.Equals(fullPath, _root, PathComparison) || fullPath.StartsWith(_rootWithSeparator, PathComparison);

    // Splits on both separators and drops empty and "." segments; ".." is left to the caller.
    private static IEnumerable<string> Split(string path) =>
        path.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".");

    /// <summary>
    /// Walks <paramref name="segments"/> from <paramref name="start"/> (a real directory path) the way the OS
    /// would, replacing each symbolic link by its target, so the result is a link-free path. Returns null on a
    /// link cycle. Components that do not exist yet are kept as they are.
    /// </summary>
    private static string? Canonicalize(string start, IEnumerable<string> segments)
    {
        var pending = new Stack<string>(segments.Reverse());
        var current = start;
        var hops = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, segment);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            // A relative target is relative to the link's directory, which is `current`.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }

            foreach (var part in Split(target).Reverse())
            {
                pending.Push(part);
            }
        }

        return current;
    }
}
