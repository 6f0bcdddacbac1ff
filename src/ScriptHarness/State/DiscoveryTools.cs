using System.Text.Json.Nodes;
using ScriptHarness.Tools;

namespace ScriptHarness.State;

/// <summary>
/// The harness tools behind <c>tools.$search(query)</c> and <c>tools.$describe(name)</c> (<c>$tools.search</c>,
/// <c>$tools.describe</c>): a large catalogue stays out of the prompt, and the script finds and reads the tools it needs.
/// </summary>
internal sealed class DiscoveryTools(ToolRegistry registry)
{
    public const string SearchName = "$tools.search";
    public const string DescribeName = "$tools.describe";
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;

    public IEnumerable<ToolDefinition> Definitions()
    {
        yield return ToolDefinition.Harness(SearchName, "Ranked tool names and one-line descriptions for a query.", SearchSchema(), Search);
        yield return ToolDefinition.Harness(DescribeName, "The TypeScript declaration of one tool.", DescribeSchema(), Describe);
    }

    private ValueTask<JsonNode?> Search(JsonNode? args, ToolCallContext call, CancellationToken cancellationToken)
    {
        var query = args?["query"]?.GetValue<string>() ?? string.Empty;
        // The schema has checked an integer from 1 to 50; it may be held as any number type (parsed JSON or a host's int).
        var limit = args?["limit"] is JsonValue l ? (l.TryGetValue(out int n) ? n : (int)l.GetValue<double>()) : DefaultLimit;
        var result = new JsonArray();
        foreach (var (tool, _) in ToolSearch.Rank(registry, query).Take(limit))
        {
            result.Add(new JsonObject { ["name"] = tool.Name, ["description"] = ToolSearch.OneLine(tool.Description) });
        }

        return new(result);
    }

    private ValueTask<JsonNode?> Describe(JsonNode? args, ToolCallContext call, CancellationToken cancellationToken)
    {
        var name = args?["name"]?.GetValue<string>() ?? string.Empty;
        if (!registry.TryGet(name, out var tool))
        {
            var suggestions = registry.Suggest(name);
            var hint = suggestions.Count > 0 ? $"; did you mean {string.Join(" or ", suggestions)}?" : "; find names with tools.$search(query)";
            throw new ToolException(ScriptErrorCode.ToolNotFound, $"tool '{name}' does not exist{hint}");
        }

        return new(JsonValue.Create(TypeScriptDeclarations.Describe(tool)));
    }

    private static JsonObject SearchSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["query"] = new JsonObject { ["type"] = "string", ["maxLength"] = 1000 },
            ["limit"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = MaxLimit },
        },
        ["required"] = new JsonArray("query"),
        ["additionalProperties"] = false,
    };

    private static JsonObject DescribeSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string", ["maxLength"] = 200 } },
        ["required"] = new JsonArray("name"),
        ["additionalProperties"] = false,
    };
}
