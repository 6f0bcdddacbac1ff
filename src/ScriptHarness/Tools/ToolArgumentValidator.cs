using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace ScriptHarness.Tools;

/// <summary>
/// Validates tool arguments against each tool's JSON Schema with NJsonSchema. Schemas are parsed once per
/// tool and cached; invalid arguments never reach a handler.
/// </summary>
internal sealed class ToolArgumentValidator
{
    private readonly ConcurrentDictionary<ToolDefinition, Task<JsonSchema>> _schemas = new();

    /// <summary>Throws <see cref="ToolException"/> (<c>tool_validation_failed</c>) naming the first wrong fields.</summary>
    public async ValueTask ValidateAsync(ToolDefinition tool, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var schema = await _schemas.GetOrAdd(tool, static t => JsonSchema.FromJsonAsync(t.ArgumentsSchema.ToJsonString()))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var json = arguments?.ToJsonString() ?? "null";
        var errors = schema.Validate(json);
        if (errors.Count == 0)
        {
            return;
        }

        var details = errors
            .Take(3)
            .Select(e => $"{Describe(e.Path, e.Property)}: {Humanize(e.Kind.ToString())}");
        throw ToolException.Validation($"invalid arguments for {tool.Name}: {string.Join("; ", details)}");
    }

    private static string Describe(string? path, string? property)
    {
        var p = string.IsNullOrEmpty(path) || path == "#" ? property : path.TrimStart('#', '/').Replace('/', '.');
        return string.IsNullOrEmpty(p) ? "arguments" : p;
    }

    // "PropertyRequired" → "property required"
    private static string Humanize(string kind)
    {
        var chars = new List<char>(kind.Length + 8);
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && chars.Count > 0)
            {
                chars.Add(' ');
            }

            chars.Add(char.ToLowerInvariant(c));
        }

        return new string([.. chars]);
    }
}
