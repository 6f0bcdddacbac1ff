using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <summary>
/// Prints the script-side API (<c>tools</c>, <c>context</c>, <c>console</c>) as TypeScript declarations for a
/// model's prompt, with tool types generated from each tool's argument and result schemas.
/// </summary>
public static class TypeScriptDeclarations
{
    /// <summary>
    /// Generates the declarations for <paramref name="registry"/>. The output is deterministic: namespaces and
    /// tools sorted by ordinal name, properties in schema order, <c>\n</c> line endings.
    /// </summary>
    public static string Generate(ToolRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = new StringBuilder();
        text.Append("// The API of a <tool-calls> block: the body of an async function, so `await` and `return` work at top level.\n");
        text.Append("declare const tools: {\n");
        foreach (var group in registry.Tools.GroupBy(t => t.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("  ").Append(group.Key).Append(": {\n");
            foreach (var tool in group.OrderBy(t => t.ShortName, StringComparer.Ordinal))
            {
                AppendTool(text, tool);
            }

            text.Append("  };\n");
        }

        text.Append("};\n\n");
        text.Append(Globals);
        return text.ToString();
    }

    /// <summary>
    /// The declarations for a catalogue too large for the prompt: each namespace with its tool count, the discovery API
    /// (<c>tools.$search</c>, <c>tools.$describe</c>) and the globals, but no tool's own declaration; the script reads
    /// those with <c>tools.$describe(name)</c> when it needs them.
    /// </summary>
    public static string GenerateDeferred(ToolRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = new StringBuilder();
        text.Append("// The API of a <tool-calls> block: the body of an async function, so `await` and `return` work at top level.\n");
        text.Append("// The tools are not listed here: find them with `await tools.$search(\"what you need\")`, read one with\n");
        text.Append("// `await tools.$describe(\"namespace.name\")`, then call it as `await tools.namespace.name(args)`.\n");
        text.Append("declare const tools: {\n");
        foreach (var group in registry.Tools.GroupBy(t => t.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = group.Count();
            text.Append("  /** ").Append(count).Append(count == 1 ? " tool" : " tools").Append(". */\n");
            text.Append("  ").Append(group.Key).Append(": { readonly [name: string]: (args?: object) => Promise<unknown> };\n");
        }

        text.Append(Discovery);
        text.Append("};\n\n");
        text.Append(Globals);
        return text.ToString();
    }

    /// <summary>One tool's declaration, as <c>tools.$describe(name)</c> returns it inside the sandbox.</summary>
    public static string Describe(ToolDefinition tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var text = new StringBuilder();
        text.Append("declare const tools: {\n  ").Append(tool.Namespace).Append(": {\n");
        AppendTool(text, tool);
        text.Append("  };\n};\n");
        return text.ToString();
    }

    private static void AppendTool(StringBuilder text, ToolDefinition tool)
    {
        var doc = new List<string>();
        doc.AddRange(Lines(tool.Description));
        if (tool.RequiresApproval)
        {
            doc.Add("Requires approval: a person must approve each call before it runs.");
        }

        if (Description(tool.ArgumentsSchema) is { } argsDescription)
        {
            doc.Add("@param args " + argsDescription);
        }

        foreach (var (path, description) in TypeScriptTypes.PropertyDescriptions(tool.ArgumentsSchema, "args"))
        {
            doc.Add($"@param {path} {description}");
        }

        if (Description(tool.ResultSchema) is { } resultDescription)
        {
            doc.Add("@returns " + resultDescription);
        }

        AppendDoc(text, "    ", doc);
        var optional = TypeScriptTypes.IsOptionalObject(tool.ArgumentsSchema) ? "?" : string.Empty;
        text.Append("    ").Append(tool.ShortName)
            .Append("(args").Append(optional).Append(": ").Append(TypeScriptTypes.Of(tool.ArgumentsSchema))
            .Append("): Promise<").Append(TypeScriptTypes.Of(tool.ResultSchema)).Append(">;\n");
    }

    private static void AppendDoc(StringBuilder text, string indent, List<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        text.Append(indent).Append("/**\n");
        foreach (var line in lines)
        {
            // Description text must not be able to close the comment early.
            text.Append(indent).Append(" * ").Append(line.Replace("*/", "*\\/", StringComparison.Ordinal)).Append('\n');
        }

        text.Append(indent).Append(" */\n");
    }

    private static string? Description(JsonObject? schema) =>
        schema?["description"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && Lines(value.GetValue<string>()) is { Count: > 0 } lines
            ? string.Join(" ", lines)
            : null;

    private static List<string> Lines(string text) =>
        [.. text.Split('\n').Select(l => l.TrimEnd('\r', ' ', '\t')).Where(l => l.Length > 0)];

    // Mirrors DiscoveryTools; change them together.
    private static readonly string Discovery = """
          /** Tools whose names and descriptions share words with `query`, best first (at most `limit`, default 10, up to 50). */
          $search(query: string, limit?: number): Promise<{ name: string; description: string }[]>;
          /** One tool's TypeScript declaration, by its full name `namespace.name`. */
          $describe(name: string): Promise<string>;

        """.ReplaceLineEndings("\n");

    // Mirrors ScriptContext.ToScriptJson, IToolBridge and the wrapper's helpers (StateTools); change them together. Line endings are fixed to \n
    // whatever the checkout's line endings, so the output is the same everywhere.
    private static readonly string Globals = """
        /** Where this script runs. Read-only. */
        declare const context: {
          readonly conversationId: string;
          readonly sessionId: string;
          readonly turnId: string;
          readonly scriptId: string;
          readonly mode: "enabled" | "dry-run" | "disabled";
          readonly limits: { readonly timeoutMs: number; readonly memoryBytes: number; readonly maxRecursionDepth: number; readonly maxToolCalls: number; readonly maxConcurrentToolCalls: number; readonly maxReturnValueBytes: number };
          /** Tell the person waiting what the script is doing (rate-limited). */
          progress(message: string): void;
        };

        /** Captured and shown with the result (rate-limited). */
        declare const console: {
          log(...args: unknown[]): void;
          info(...args: unknown[]): void;
          warn(...args: unknown[]): void;
          error(...args: unknown[]): void;
        };

        /**
         * Keeps a JSON value under `key` for the later blocks of this conversation (later replies too, on any host
         * instance sharing the store); `undefined` removes the key. Size-capped per value and per conversation.
         */
        declare function store(key: string, value: unknown): Promise<void>;
        /** The JSON value an earlier block kept under `key`, or null. */
        declare function load(key: string): Promise<unknown>;

        """.ReplaceLineEndings("\n");
}
