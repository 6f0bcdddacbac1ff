using System.Text;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary><c>files.write({ path, content })</c>: creates or replaces a UTF-8 text file. Needs approval.</summary>
internal static class FilesWriteTool
{
    public const int MaxContentBytes = 1024 * 1024;

    public static ToolDefinition Create(Workspace workspace) =>
        new(
            "files.write",
            "Create or replace a text file of the workspace with `content` (UTF-8, no byte-order mark), creating missing parent directories.",
            Schema.Object(
                new JsonObject
                {
                    ["path"] = Schema.String("File to write, relative to the workspace root.", Workspace.MaxPathLength),
                    ["content"] = Schema.String("The complete new text of the file (at most 1 MiB as UTF-8)."),
                },
                "path", "content"),
            (arguments, _, cancellationToken) => WriteAsync(workspace, arguments, cancellationToken))
        {
            RequiresApproval = true,
            ApprovalTarget = arguments => WriteTarget.Describe(workspace, arguments),
            ResultSchema = Schema.Object(
                new JsonObject
                {
                    ["path"] = Schema.String("The file's path relative to the workspace root."),
                    ["bytes"] = Schema.Integer("Number of bytes written.", minimum: 0),
                },
                "path", "bytes"),
        };

    private static async ValueTask<JsonNode?> WriteAsync(Workspace workspace, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var args = ToolArguments.Parse(arguments, "path", "content");
        var rawPath = args.RequiredString("path", Workspace.MaxPathLength);
        // Content is bounded in bytes below; the character bound here only stops absurd inputs early.
        var content = args.OptionalString("content", MaxContentBytes, allowEmpty: true)
            ?? throw ToolException.Validation("argument 'content' is required");
        var path = workspace.Resolve(rawPath);
        // "notes/", "notes/." and "a/.." name directories, even though they normalize to a plain name.
        if (path.Relative.Length == 0 || rawPath.Split('/', '\\')[^1] is "" or "." or "..")
        {
            throw ToolException.Validation($"path '{Workspace.Show(rawPath)}' must name a file, not a directory");
        }

        var bytes = Encoding.UTF8.GetBytes(content);
        if (bytes.Length > MaxContentBytes)
        {
            throw ToolException.Validation($"argument 'content' must be at most {MaxContentBytes} bytes as UTF-8");
        }

        if (Directory.Exists(path.FullPath))
        {
            throw FileToolErrors.IsDirectory(path);
        }

        // Opening a FIFO for writing blocks until a reader comes; a device is no place for text either.
        if (!FileKind.IsRegularOrUnknown(path.FullPath))
        {
            throw FileToolErrors.NotRegularFile(path);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path.FullPath)!);
            await using var stream = new FileStream(path.FullPath, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            });
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileToolErrors.AccessFailed("write", path, ex);
        }

        return new JsonObject
        {
            ["path"] = path.Relative,
            ["bytes"] = bytes.Length,
        };
    }
}
