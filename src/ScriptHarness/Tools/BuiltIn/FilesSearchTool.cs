using System.Text;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary><c>files.search({ query, dir?, limit? })</c>: lines containing a plain, case-sensitive substring.</summary>
internal static class FilesSearchTool
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;
    public const int MaxQueryLength = 1000;
    public const int MaxFileBytes = 1024 * 1024;

    // Long lines (minified code) are cut to a window around the match so one hit cannot flood the result.
    private const int MaxLineChars = 200;
    private const int ContextBeforeMatch = 60;

    public static ToolDefinition Create(Workspace workspace) =>
        new(
            "files.search",
            $"Search the text files under a directory for lines containing `query` (plain text, case-sensitive; not a regular expression). Files over 1 MiB, binary files and special files (FIFOs, sockets, devices) are skipped. Lines longer than {MaxLineChars} characters are cut around the match. Returns at most `limit` matches, in path then line order.",
            Schema.Object(
                new JsonObject
                {
                    ["query"] = Schema.String("The text to find, on one line.", MaxQueryLength),
                    ["dir"] = Schema.String("Directory to search, recursively, relative to the workspace root. Default \".\" (the root).", Workspace.MaxPathLength),
                    ["limit"] = Schema.Integer($"Maximum number of matches to return. Default {DefaultLimit}.", 1, MaxLimit, DefaultLimit),
                },
                "query"),
            (arguments, _, cancellationToken) => SearchAsync(workspace, arguments, cancellationToken))
        {
            ResultSchema = Schema.Array("The matching lines.", Schema.Object(
                new JsonObject
                {
                    ["path"] = Schema.String("The file's path relative to the workspace root."),
                    ["line"] = Schema.Integer("1-based line number.", minimum: 1),
                    ["text"] = Schema.String("The line's text (cut around the match when long)."),
                },
                "path", "line", "text")),
        };

    private static async ValueTask<JsonNode?> SearchAsync(Workspace workspace, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var args = ToolArguments.Parse(arguments, "query", "dir", "limit");
        var query = args.RequiredString("query", MaxQueryLength);
        if (query.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw ToolException.Validation("argument 'query' must not contain line breaks");
        }

        var dir = workspace.Resolve(args.OptionalString("dir", Workspace.MaxPathLength) ?? ".");
        var limit = args.Integer("limit", DefaultLimit, 1, MaxLimit);
        if (!Directory.Exists(dir.FullPath))
        {
            throw File.Exists(dir.FullPath) ? FileToolErrors.NotDirectory(dir) : FileToolErrors.DirectoryNotFound(dir);
        }

        var needle = Encoding.UTF8.GetBytes(query);
        var results = new JsonArray();
        foreach (var entry in workspace.Enumerate(dir, recursive: true, cancellationToken))
        {
            // FIFOs, sockets and devices are skipped unopened: a FIFO would block the search in open().
            if (entry.IsDirectory || entry.Size > MaxFileBytes || !FileKind.IsRegularOrUnknown(entry.Path.FullPath))
            {
                continue;
            }

            var bytes = await TryReadAsync(entry.Path.FullPath, cancellationToken).ConfigureAwait(false);
            // A NUL byte marks a binary file; the byte search first spares decoding files without a match.
            if (bytes is null || bytes.AsSpan().IndexOf((byte)0) >= 0 || bytes.AsSpan().IndexOf(needle) < 0)
            {
                continue;
            }

            var lineNumber = 0;
            foreach (var line in Utf8Text.Decode(bytes, cut: false).AsSpan().EnumerateLines())
            {
                lineNumber++;
                var at = line.IndexOf(query, StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                results.Add(new JsonObject
                {
                    ["path"] = entry.Path.Relative,
                    ["line"] = lineNumber,
                    ["text"] = Excerpt(line, at),
                });
                if (results.Count == limit)
                {
                    return results;
                }
            }
        }

        return results;
    }

    // A file that vanished or cannot be read is skipped: one bad file should not fail the whole search. So is one that
    // grew past MaxFileBytes since it was listed (a log being written): it is read no further than that.
    internal static async Task<byte[]?> TryReadAsync(string fullPath, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(fullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            var buffer = new byte[(int)Math.Min(stream.Length, MaxFileBytes) + 1];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return read > MaxFileBytes ? null : buffer[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Excerpt(ReadOnlySpan<char> line, int matchStart)
    {
        if (line.Length <= MaxLineChars)
        {
            return line.ToString();
        }

        var start = Math.Max(0, Math.Min(matchStart - ContextBeforeMatch, line.Length - MaxLineChars));
        var length = Math.Min(MaxLineChars, line.Length - start);
        var prefix = start > 0 ? "…" : string.Empty;
        var suffix = start + length < line.Length ? "…" : string.Empty;
        return string.Concat(prefix, line.Slice(start, length), suffix);
    }
}
