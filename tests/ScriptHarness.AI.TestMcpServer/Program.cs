using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Tools whose annotations and results cover what the harness maps: read-only, destructive, unannotated, structured
// content, plain text and errors; and a server that answers too much, or exits.
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "test-server", Version = "1.0.0" },
    ToolCollection =
    [
        McpServerTool.Create((string text) => text, new() { Name = "echo", Description = "Returns the text.", ReadOnly = true }),
        McpServerTool.Create((int a, int b) => new Sum(a + b), new() { Name = "add", Description = "Adds two integers.", ReadOnly = true, UseStructuredContent = true }),
        McpServerTool.Create((string id) => "deleted " + id, new() { Name = "delete-item", Description = "Deletes an item.", Destructive = true, ReadOnly = false }),
        McpServerTool.Create((string note) => "noted " + note, new() { Name = "note", Description = "Keeps a note (not annotated)." }),
        McpServerTool.Create(string () => throw new InvalidOperationException("the test tool failed"), new() { Name = "fail", Description = "Always fails.", ReadOnly = true }),
        McpServerTool.Create((int length) => new string('x', length), new() { Name = "text-of", Description = "Returns a text of that many characters.", ReadOnly = true }),
        McpServerTool.Create((int count) => new Zeros(new int[count]), new() { Name = "zeros", Description = "Returns that many zeros, as structured content.", ReadOnly = true, UseStructuredContent = true }),
        McpServerTool.Create(string (int code, int noise = 0) =>
            {
                // First, optionally, a line of error output as long as asked.
                if (noise > 0)
                {
                    Console.Error.WriteLine(new string('e', noise));
                }

                Console.Error.WriteLine("exiting with " + code);
                Environment.Exit(code);
                return "unreachable";
            },
            new() { Name = "exit", Description = "Ends the server with that exit code, after a line of error output noise characters long.", ReadOnly = true }),
    ],
};

// A server whose list of tools misbehaves: --list endless (a cursor that never runs out, 100 tools a page), --list
// wordy (the same, one tool a page described in 1 MiB) or --list silent (the listing is never answered).
if (args is ["--list", var list])
{
    options.ToolCollection = null;
    options.Handlers = new McpServerHandlers
    {
        ListToolsHandler = async (request, cancellationToken) =>
        {
            if (list == "silent")
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var page = int.Parse(request.Params?.Cursor ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var wordy = list == "wordy";
            return new ListToolsResult
            {
                Tools = [.. Enumerable.Range(0, wordy ? 1 : 100).Select(i => new Tool
                {
                    Name = $"t{page}_{i}",
                    Description = wordy ? new string('d', 1024 * 1024) : "One of very many.",
                    InputSchema = System.Text.Json.JsonDocument.Parse("""{"type":"object"}""").RootElement,
                })],
                NextCursor = (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        },
    };
}

await using var transport = new StdioServerTransport(options);
await using var server = McpServer.Create(transport, options);
await server.RunAsync();

internal sealed record Sum(int Total);

internal sealed record Zeros(int[] Values);
