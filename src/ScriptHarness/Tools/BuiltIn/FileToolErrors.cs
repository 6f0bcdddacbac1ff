namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// The <c>tool_execution_failed</c> errors of the <c>files</c> tools. Messages quote only the workspace-relative
/// path: IO exception messages carry absolute host paths, so they are kept as the inner exception for the host
/// and never become the message.
/// </summary>
internal static class FileToolErrors
{
    public static ToolException FileNotFound(WorkspacePath path) => ToolException.Execution($"file '{path.Display}' not found");

    public static ToolException DirectoryNotFound(WorkspacePath path) => ToolException.Execution($"directory '{path.Display}' not found");

    public static ToolException IsDirectory(WorkspacePath path) => ToolException.Execution($"'{path.Display}' is a directory, not a file");

    public static ToolException NotRegularFile(WorkspacePath path) =>
        ToolException.Execution($"'{path.Display}' is not a regular file (a FIFO, socket or device); only regular files are read or written");

    public static ToolException NotDirectory(WorkspacePath path) => ToolException.Execution($"'{path.Display}' is a file, not a directory");

    public static ToolException AccessFailed(string action, WorkspacePath path, Exception inner) =>
        new(ScriptErrorCode.ToolExecutionFailed, $"cannot {action} '{path.Display}'" + (inner is UnauthorizedAccessException ? ": access denied" : string.Empty), inner);
}
