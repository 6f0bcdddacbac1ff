using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary><c>files.list({ dir?, recursive?, limit? })</c>: the files and directories under a directory.</summary>
internal static class FilesListTool
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    public static ToolDefinition Create(Workspace workspace) =>
        new(
            "files.list",
            $"List files and directories under a directory of the workspace, sorted by path (a directory comes right before its contents). Returns at most `limit` entries: exactly `limit` entries means there may be more, so list a subdirectory or raise `limit` (up to {MaxLimit}).",
            Schema.Object(new JsonObject
            {
                ["dir"] = Schema.String("Directory to list, relative to the workspace root. Default \".\" (the root).", Workspace.MaxPathLength),
                ["recursive"] = Schema.Boolean("Also list the contents of subdirectories, depth-first. Default false.", false),
                ["limit"] = Schema.Integer($"Maximum number of entries to return. Default {DefaultLimit}.", 1, MaxLimit, DefaultLimit),
            }),
            (arguments, _, cancellationToken) => ValueTask.FromResult<JsonNode?>(List(workspace, arguments, cancellationToken)))
        {
            ResultSchema = Schema.Array("The entries, sorted by path.", Schema.Object(
                new JsonObject
                {
                    ["path"] = Schema.String("Path relative to the workspace root, '/'-separated."),
                    ["type"] = Schema.Enum("Whether the entry is a file or a directory.", "file", "dir"),
                    ["size"] = Schema.Integer("Size in bytes; 0 for directories.", minimum: 0),
                },
                "path", "type", "size")),
        };

    private static JsonArray List(Workspace workspace, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var args = ToolArguments.Parse(arguments, "dir", "recursive", "limit");
        var dir = workspace.Resolve(args.OptionalString("dir", Workspace.MaxPathLength) ?? ".");
        var recursive = args.Boolean("recursive", defaultValue: false);
        var limit = args.Integer("limit", DefaultLimit, 1, MaxLimit);

        if (!Directory.Exists(dir.FullPath))
        {
            throw File.Exists(dir.FullPath) ? FileToolErrors.NotDirectory(dir) : FileToolErrors.DirectoryNotFound(dir);
        }

        var result = new JsonArray();
        foreach (var entry in workspace.Enumerate(dir, recursive, cancellationToken).Take(limit))
        {
            result.Add(new JsonObject
            {
                ["path"] = entry.Path.Relative,
                ["type"] = entry.IsDirectory ? "dir" : "file",
                ["size"] = entry.Size,
            });
        }

        return result;
    }
}
