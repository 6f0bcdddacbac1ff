using System.Text.Json.Nodes;
using ScriptHarness.Approvals;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// Where a <c>files.write</c> really lands, for the person approving it: the path relative to the workspace root after
/// <c>.</c>, <c>..</c> and symbolic links, in full, with a warning for dot-directories, dotfiles and places whose files
/// run as code (git hooks, CI workflows, <c>bin</c> directories, shell scripts, files already executable).
/// </summary>
internal static class WriteTarget
{
    // Directories whose files something runs: git and husky hooks, CI definitions, bin directories.
    private static readonly string[][] ExecutableDirectories =
        [[".git", "hooks"], [".husky"], [".github", "workflows"], [".gitlab-ci"], [".circleci"], ["bin"], [".bin"]];

    private static readonly string[] ExecutableExtensions = [".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".exe", ".com"];

    public static ApprovalTarget Describe(Workspace workspace, JsonNode? arguments)
    {
        var rawPath = ToolArguments.Parse(arguments, "path", "content").RequiredString("path", Workspace.MaxPathLength);
        var path = workspace.Resolve(rawPath);
        var real = workspace.RealRelative(path);
        var segments = real.Split('/');
        var warnings = new List<string>();
        if (segments[..^1].FirstOrDefault(s => s.StartsWith('.')) is { } dotDirectory)
        {
            warnings.Add($"writes into the dot-directory '{dotDirectory}'");
        }
        else if (segments[^1].StartsWith('.'))
        {
            warnings.Add("writes a dotfile");
        }

        if (ExecutableLocation(segments, path.FullPath) is { } why)
        {
            warnings.Add($"writes to an executable location ({why})");
        }

        if (real != path.Relative)
        {
            warnings.Add($"the path '{Workspace.Show(rawPath)}' resolves through a symbolic link");
        }

        return new ApprovalTarget(real, warnings);
    }

    private static string? ExecutableLocation(string[] segments, string fullPath)
    {
        var directories = segments[..^1];
        foreach (var place in ExecutableDirectories)
        {
            for (var i = 0; i + place.Length <= directories.Length; i++)
            {
                if (directories.AsSpan(i, place.Length).SequenceEqual(place))
                {
                    return $"under '{string.Join('/', place)}'";
                }
            }
        }

        if (ExecutableExtensions.Any(e => segments[^1].EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return "a script or program";
        }

        return !OperatingSystem.IsWindows() && File.Exists(fullPath)
            && (File.GetUnixFileMode(fullPath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0
            ? "the file is executable"
            : null;
    }
}
