namespace ScriptHarness.Tools;

/// <summary>The immutable set of tools scripts may call, keyed once by full name.</summary>
public sealed class ToolRegistry
{
    private readonly Dictionary<string, ToolDefinition> _tools;

    /// <summary>Creates a registry; duplicate names are an error.</summary>
    public ToolRegistry(IEnumerable<ToolDefinition> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var map = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (!map.TryAdd(tool.Name, tool))
            {
                throw new ArgumentException($"Tool '{tool.Name}' is registered twice.", nameof(tools));
            }
        }

        _tools = map;
        Names = [.. _tools.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>A registry with no tools.</summary>
    public static ToolRegistry Empty { get; } = new([]);

    /// <summary>All tool names, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>All tools, sorted by name.</summary>
    public IEnumerable<ToolDefinition> Tools => Names.Select(n => _tools[n]);

    /// <summary>Finds a tool by its full name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? tool) =>
        _tools.TryGetValue(name, out tool);

    /// <summary>Up to three registered names closest to <paramref name="name"/>, for <c>tool_not_found</c> messages.</summary>
    public IReadOnlyList<string> Suggest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var threshold = Math.Max(2, name.Length / 3);
        return Names
            .Select(n => (Name: n, Distance: NameSuggestions.Distance(n, name)))
            .Where(x => x.Distance <= threshold
                || x.Name.EndsWith("." + ShortName(name), StringComparison.OrdinalIgnoreCase))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(x => x.Name)
            .ToList();
    }

    private static string ShortName(string name) => name[(name.LastIndexOf('.') + 1)..];
}
