using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tools;

/// <summary>
/// Makes any <see cref="AIFunction"/> (and so any MCP client tool) a harness tool, <c>tools.&lt;namespace&gt;.&lt;name&gt;</c>:
/// its <see cref="AIFunctionDeclaration.JsonSchema"/> checks the arguments and types them in the TypeScript declarations,
/// its <see cref="AIFunctionDeclaration.ReturnJsonSchema"/> (when present) types the result, and an
/// <see cref="ApprovalRequiredAIFunction"/> (found with <c>GetService</c>, so through any wrapper) needs approval per call.
/// </summary>
public static class AIFunctionTools
{
    /// <summary>
    /// Makes <paramref name="functions"/> one toolset, <paramref name="namespace"/>, each name sanitized
    /// (<see cref="ToolNames.Sanitize"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">Two functions end up with the same name (each collision is listed).</exception>
    public static ToolSet ToToolSet(this IEnumerable<AIFunction> functions, string @namespace, AIFunctionToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var space = ToolNames.Sanitize(@namespace);
        var tools = new List<ToolDefinition>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var function in functions)
        {
            ArgumentNullException.ThrowIfNull(function, nameof(functions));
            var tool = function.ToToolDefinition(space, options);
            if (!seen.TryAdd(tool.ShortName, function.Name))
            {
                problems.Add($"Functions '{seen[tool.ShortName]}' and '{function.Name}' would both be tools.{tool.Name}: rename one or put it in another namespace");
                continue;
            }

            tools.Add(tool);
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return new ToolSet(space, tools);
    }

    /// <summary>Makes <paramref name="function"/> the tool <c>tools.&lt;namespace&gt;.&lt;sanitized name&gt;</c>.</summary>
    public static ToolDefinition ToToolDefinition(this AIFunction function, string @namespace, AIFunctionToolOptions? options = null) =>
        Create(function, @namespace, options ?? AIFunctionToolOptions.Default, requiresApproval: null, invoke: null);

    /// <summary>The shared conversion; <paramref name="invoke"/> replaces the plain invocation (MCP results, say).</summary>
    internal static ToolDefinition Create(AIFunction function, string @namespace, AIFunctionToolOptions options, bool? requiresApproval,
        ToolHandler? invoke)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(options);
        var name = ToolNames.Sanitize(@namespace) + "." + ToolNames.Sanitize(function.Name);
        var needsApproval = function.GetService<ApprovalRequiredAIFunction>() is not null
            || (requiresApproval ?? options.RequireApproval?.Invoke(function) ?? false);
        return new ToolDefinition(name, function.Description, ArgumentsSchema(function), invoke ?? Handler(function))
        {
            ResultSchema = JsonConversions.ToObject(function.ReturnJsonSchema),
            RequiresApproval = needsApproval,
            Timeout = options.Timeout,
            NonBlocking = options.NonBlocking,
        };
    }

    // A function without a usable schema still takes an object: scripts always pass one.
    private static JsonObject ArgumentsSchema(AIFunction function) =>
        JsonConversions.ToObject(function.JsonSchema) ?? new JsonObject { ["type"] = "object" };

    private static ToolHandler Handler(AIFunction function) => async (arguments, context, cancellationToken) =>
    {
        var values = new AIFunctionArguments(JsonConversions.ToArguments(arguments))
        {
            Context = new Dictionary<object, object?> { [typeof(ToolCallContext)] = context },
        };
        var result = await function.InvokeAsync(values, cancellationToken).ConfigureAwait(false);
        return JsonConversions.ToNode(result, function.JsonSerializerOptions);
    };
}
