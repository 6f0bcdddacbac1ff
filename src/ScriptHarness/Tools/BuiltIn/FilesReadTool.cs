using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary><c>files.read({ path, maxBytes? })</c>: a file's UTF-8 text, possibly truncated.</summary>
internal static class FilesReadTool
{
    public const int DefaultMaxBytes = 256 * 1024;
    public const int MaxMaxBytes = 1024 * 1024;

    public static ToolDefinition Create(Workspace workspace) =>
        new(
            "files.read",
            "Read a text file of the workspace as UTF-8. Files longer than `maxBytes` are cut there and marked `truncated`.",
            Schema.Object(
                new JsonObject
                {
                    ["path"] = Schema.String("File to read, relative to the workspace root.", Workspace.MaxPathLength),
                    ["maxBytes"] = Schema.Integer($"Maximum number of bytes to read. Default {DefaultMaxBytes} (256 KiB), at most {MaxMaxBytes}.", 1, MaxMaxBytes, DefaultMaxBytes),
                },
                "path"),
            (arguments, _, cancellationToken) => ReadAsync(workspace, arguments, cancellationToken))
        {
            ResultSchema = Schema.Object(
                new JsonObject
                {
                    ["path"] = Schema.String("The file's path relative to the workspace root."),
                    ["content"] = Schema.String("The text read (invalid UTF-8 bytes become U+FFFD)."),
                    ["size"] = Schema.Integer("The file's full size in bytes.", minimum: 0),
                    ["truncated"] = Schema.Boolean("Whether the file is longer than what was read."),
                },
                "path", "content", "size", "truncated"),
        };

    private static async ValueTask<JsonNode?> ReadAsync(Workspace workspace, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var args = ToolArguments.Parse(arguments, "path", "maxBytes");
        var path = workspace.Resolve(args.RequiredString("path", Workspace.MaxPathLength));
        var maxBytes = args.Integer("maxBytes", DefaultMaxBytes, 1, MaxMaxBytes);

        if (Directory.Exists(path.FullPath))
        {
            throw FileToolErrors.IsDirectory(path);
        }

        // Checked without opening: opening a FIFO blocks until some writer comes, past every time limit.
        if (!FileKind.IsRegularOrUnknown(path.FullPath))
        {
            throw FileToolErrors.NotRegularFile(path);
        }

        byte[] buffer;
        int read;
        long size;
        try
        {
            await using var stream = new FileStream(path.FullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            size = stream.Length;
            buffer = new byte[(int)Math.Min(size, maxBytes)];
            read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw FileToolErrors.FileNotFound(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileToolErrors.AccessFailed("read", path, ex);
        }

        var truncated = size > read;
        return new JsonObject
        {
            ["path"] = path.Relative,
            ["content"] = Utf8Text.Decode(buffer.AsSpan(0, read), truncated),
            ["size"] = size,
            ["truncated"] = truncated,
        };
    }
}
