using System.Text.Json.Nodes;
using ScriptHarness.Tests.Tools.BuiltIn;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools;

public sealed class TypeScriptDeclarationsTests
{
    private static readonly ToolHandler Noop = (_, _, _) => ValueTask.FromResult<JsonNode?>(null);

    private static ToolDefinition Tool(string name, string description, string argumentsSchema, string? resultSchema = null) =>
        new(name, description, JsonNode.Parse(argumentsSchema)!.AsObject(), Noop)
        {
            ResultSchema = resultSchema is null ? null : JsonNode.Parse(resultSchema)!.AsObject(),
        };

    private static ToolRegistry SmallRegistry() => new(
    [
        Tool("notes.find", "Find notes.\nSecond line.", """
            {
              "type": "object",
              "properties": {
                "text": { "type": "string", "description": "What to look for." },
                "tags": { "type": "array", "items": { "type": "string" } },
                "sort": { "type": "string", "enum": ["new", "old"] },
                "max": { "type": "integer" },
                "exact": { "type": "boolean" },
                "range": { "type": "object", "properties": { "from": { "type": "number", "description": "Start." } }, "required": ["from"] },
                "note-id": { "type": ["string", "null"] },
                "extra": {}
              },
              "required": ["text"],
              "additionalProperties": false
            }
            """,
            """
            {
              "type": "array",
              "description": "Matching notes.",
              "items": { "type": "object", "properties": { "id": { "type": "string" }, "score": { "type": "number" } }, "required": ["id"] }
            }
            """),
        Tool("notes.add", "Add a note. Never write */ in a comment.", """
            { "type": "object", "properties": { "body": { "type": "string" } }, "required": ["body"] }
            """) with { RequiresApproval = true },
        Tool("alpha.ping", "Ping.", """{ "type": "object", "properties": {}, "additionalProperties": false }"""),
    ]);

    [Fact]
    public void Generate_SmallRegistry_EmitsTypedMethodsWithDocs()
    {
        var ts = TypeScriptDeclarations.Generate(SmallRegistry());

        Assert.Contains(
            """
                /**
                 * Find notes.
                 * Second line.
                 * @param args.text What to look for.
                 * @param args.range.from Start.
                 * @returns Matching notes.
                 */
                find(args: { text: string; tags?: string[]; sort?: "new" | "old"; max?: number; exact?: boolean; range?: { from: number }; "note-id"?: string | null; extra?: unknown }): Promise<Array<{ id: string; score?: number }>>;

            """.ReplaceLineEndings("\n"),
            ts,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ApprovalAndCommentTerminator_AreDocumentedSafely()
    {
        var ts = TypeScriptDeclarations.Generate(SmallRegistry());

        Assert.Contains(" * Add a note. Never write *\\/ in a comment.\n * Requires approval", ts.Replace("    ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("    add(args: { body: string }): Promise<unknown>;\n", ts, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ToolWithoutRequiredArguments_MakesArgsOptional()
    {
        var ts = TypeScriptDeclarations.Generate(SmallRegistry());

        Assert.Contains("    ping(args?: {}): Promise<unknown>;\n", ts, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_NamespacesAndTools_AreSorted()
    {
        var ts = TypeScriptDeclarations.Generate(SmallRegistry());

        var order = new[] { "  alpha: {", "    ping(", "  notes: {", "    add(", "    find(" }
            .Select(s => ts.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void Generate_SameToolsInAnyOrder_GivesTheSameText()
    {
        var registry = SmallRegistry();
        var reversed = new ToolRegistry(registry.Tools.Reverse());

        Assert.Equal(TypeScriptDeclarations.Generate(registry), TypeScriptDeclarations.Generate(reversed));
        Assert.DoesNotContain("\r", TypeScriptDeclarations.Generate(registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Always_DeclaresContextAndConsole()
    {
        var ts = TypeScriptDeclarations.Generate(ToolRegistry.Empty);

        Assert.StartsWith("// ", ts, StringComparison.Ordinal);
        Assert.Contains("declare const tools: {\n};\n", ts, StringComparison.Ordinal);
        Assert.Contains("  readonly conversationId: string;\n  readonly sessionId: string;\n  readonly turnId: string;\n  readonly scriptId: string;\n", ts, StringComparison.Ordinal);
        Assert.Contains("  readonly mode: \"enabled\" | \"dry-run\" | \"disabled\";\n", ts, StringComparison.Ordinal);
        Assert.Contains("  progress(message: string): void;\n", ts, StringComparison.Ordinal);
        foreach (var level in new[] { "log", "info", "warn", "error" })
        {
            Assert.Contains($"  {level}(...args: unknown[]): void;\n", ts, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Generate_BuiltInToolSets_DeclaresTheirSignatures()
    {
        using var workspace = new TempWorkspace();
        var registry = new ToolRegistry(FilesToolSet.Create(workspace.Root).Tools.Concat(TestToolSet.Create().Tools));

        var ts = TypeScriptDeclarations.Generate(registry);

        Assert.Contains("    list(args?: { dir?: string; recursive?: boolean; limit?: number }): Promise<Array<{ path: string; type: \"file\" | \"dir\"; size: number }>>;\n", ts, StringComparison.Ordinal);
        Assert.Contains("    read(args: { path: string; maxBytes?: number }): Promise<{ path: string; content: string; size: number; truncated: boolean }>;\n", ts, StringComparison.Ordinal);
        Assert.Contains("    search(args: { query: string; dir?: string; limit?: number }): Promise<Array<{ path: string; line: number; text: string }>>;\n", ts, StringComparison.Ordinal);
        Assert.Contains("    write(args: { path: string; content: string }): Promise<{ path: string; bytes: number }>;\n", ts, StringComparison.Ordinal);
        Assert.Contains("     * @param args.path File to read, relative to the workspace root.\n", ts, StringComparison.Ordinal);
        Assert.Contains("    echo(args?: Record<string, unknown>): Promise<Record<string, unknown>>;\n", ts, StringComparison.Ordinal);
        Assert.Contains("    sleep(args: { ms: number }): Promise<{ slept: number }>;\n", ts, StringComparison.Ordinal);
        Assert.Contains("    counter(args?: {}): Promise<{ count: number }>;\n", ts, StringComparison.Ordinal);
        Assert.DoesNotContain(workspace.Root, ts, StringComparison.Ordinal);
    }

    private static ToolRegistry TwoNamespaces() => new(
    [
        Tool("zeta.one", "", """{ "type": "object", "properties": { "a": { "type": "string" } }, "required": ["a"] }"""),
        Tool("alpha.two", "Two.\r\n\n  \nSecond.", """{ "type": "object", "description": "The arguments.\nAll of them." }"""),
        Tool("alpha.three", "", """{ "type": "object" }"""),
    ]);

    // The declarations up to the globals, which Generate_Always_DeclaresContextAndConsole reads.
    private static string ToolsPart(string ts) => ts[..ts.IndexOf("/** Where this script runs.", StringComparison.Ordinal)];

    [Fact]
    public void Generate_WholeText_IsExact()
    {
        var ts = TypeScriptDeclarations.Generate(TwoNamespaces());

        Assert.Equal(
            "// The API of a <tool-calls> block: the body of an async function, so `await` and `return` work at top level.\n"
            + "declare const tools: {\n"
            + "  alpha: {\n"
            + "    three(args?: Record<string, unknown>): Promise<unknown>;\n"
            + "    /**\n     * Two.\n     * Second.\n     * @param args The arguments. All of them.\n     */\n"
            + "    two(args?: Record<string, unknown>): Promise<unknown>;\n"
            + "  };\n"
            + "  zeta: {\n"
            + "    one(args: { a: string }): Promise<unknown>;\n"
            + "  };\n"
            + "};\n\n",
            ToolsPart(ts));
        Assert.EndsWith("declare function load(key: string): Promise<unknown>;\n", ts, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateDeferred_WholeText_IsExact()
    {
        var ts = TypeScriptDeclarations.GenerateDeferred(TwoNamespaces());

        Assert.Equal(
            "// The API of a <tool-calls> block: the body of an async function, so `await` and `return` work at top level.\n"
            + "// The tools are not listed here: find them with `await tools.$search(\"what you need\")`, read one with\n"
            + "// `await tools.$describe(\"namespace.name\")`, then call it as `await tools.namespace.name(args)`.\n"
            + "declare const tools: {\n"
            + "  /** 2 tools. */\n"
            + "  alpha: { readonly [name: string]: (args?: object) => Promise<unknown> };\n"
            + "  /** 1 tool. */\n"
            + "  zeta: { readonly [name: string]: (args?: object) => Promise<unknown> };\n"
            + "  /** Tools whose names and descriptions share words with `query`, best first (at most `limit`, default 10, up to 50). */\n"
            + "  $search(query: string, limit?: number): Promise<{ name: string; description: string }[]>;\n"
            + "  /** One tool's TypeScript declaration, by its full name `namespace.name`. */\n"
            + "  $describe(name: string): Promise<string>;\n"
            + "};\n\n",
            ToolsPart(ts));
        Assert.DoesNotContain("\r", ts, StringComparison.Ordinal);
        Assert.DoesNotContain("one(", ts, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_OneTool_IsItsDeclarationInsideItsNamespace()
    {
        var tool = TwoNamespaces().Tools.Single(t => t.Name == "zeta.one");

        Assert.Equal("declare const tools: {\n  zeta: {\n    one(args: { a: string }): Promise<unknown>;\n  };\n};\n", TypeScriptDeclarations.Describe(tool));
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => TypeScriptDeclarations.Generate(null!));
        Assert.Throws<ArgumentNullException>(() => TypeScriptDeclarations.GenerateDeferred(null!));
        Assert.Throws<ArgumentNullException>(() => TypeScriptDeclarations.Describe(null!));
    }

    [Fact]
    public void Of_AnyOfBesideOneOf_TakesAnyOf()
    {
        Assert.Equal("string", TypeScriptTypes.Of(JsonNode.Parse("""{ "anyOf": [{ "type": "string" }], "oneOf": [{ "type": "number" }] }""")));
    }

    [Theory]
    [InlineData("""{ "const": "a<b" }""", "\"a<b\"")]
    [InlineData("""{ "const": 3, "type": "string" }""", "3")]
    [InlineData("""{ "const": null }""", "null")]
    [InlineData("""{ "const": {"a": 1} }""", "unknown")]
    [InlineData("""{ "enum": ["x", 1, true, "x"] }""", "\"x\" | 1 | true")]
    [InlineData("""{ "enum": [], "type": "string" }""", "string")]
    [InlineData("""{ "anyOf": [{ "type": "string" }, { "type": "integer" }] }""", "string | number")]
    [InlineData("""{ "oneOf": [{ "type": "boolean" }, { "type": "null" }] }""", "boolean | null")]
    [InlineData("""{ "anyOf": [{ "type": "string" }, {}] }""", "unknown")]
    [InlineData("""{ "anyOf": [], "type": "number" }""", "number")]
    [InlineData("""{ "type": ["string", "number", "integer"] }""", "string | number")]
    [InlineData("""{ "type": [] }""", "unknown")]
    [InlineData("""{ "type": 7 }""", "unknown")]
    [InlineData("""{ "type": "date" }""", "unknown")]
    [InlineData("""{ "type": "array" }""", "unknown[]")]
    [InlineData("""{ "type": "array", "items": { "type": "number" } }""", "number[]")]
    [InlineData("""{ "type": "array", "items": { "type": ["string", "null"] } }""", "Array<string | null>")]
    [InlineData("""{ "type": "object" }""", "Record<string, unknown>")]
    [InlineData("""{ "type": "object", "additionalProperties": { "type": "boolean" } }""", "Record<string, boolean>")]
    [InlineData("""{ "type": "object", "additionalProperties": false }""", "{}")]
    [InlineData("""{ "type": "object", "additionalProperties": true }""", "Record<string, unknown>")]
    [InlineData("""{ "properties": { "a": { "type": "string" } }, "required": ["a"] }""", "{ a: string }")]
    [InlineData("""{ "type": "object", "properties": { "$a_1": {}, "1a": {}, "a b": {} } }""", "{ $a_1?: unknown; \"1a\"?: unknown; \"a b\"?: unknown }")]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "string" } }, "required": [1, "a"] }""", "{ a: string }")]
    [InlineData("""{}""", "unknown")]
    [InlineData("""[]""", "unknown")]
    public void Of_Schema_IsTheTypeScriptType(string schema, string expected)
    {
        Assert.Equal(expected, TypeScriptTypes.Of(JsonNode.Parse(schema)));
    }

    [Fact]
    public void Of_PropertyNameEndingInALineBreak_IsQuoted_NotWrittenBare()
    {
        // A regex `$` also matches before a final line break: such a name once passed as an identifier and put a raw
        // line break into the declarations the model reads.
        var schema = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["a\n"] = new JsonObject { ["type"] = "string" } } };

        Assert.Equal("{ \"a\\n\"?: string }", TypeScriptTypes.Of(schema));
    }

    [Fact]
    public void Of_ArrayOfArrays_WrapsTheInnerOneInArray()
    {
        var schema = JsonNode.Parse("""{ "type": "array", "items": { "type": "array", "items": { "type": "string" } } }""");

        Assert.Equal("Array<string[]>", TypeScriptTypes.Of(schema));
    }

    [Fact]
    public void IsOptionalObject_OnlyWithoutRequiredMembers()
    {
        Assert.True(TypeScriptTypes.IsOptionalObject(new JsonObject()));
        Assert.True(TypeScriptTypes.IsOptionalObject(new JsonObject { ["required"] = new JsonArray() }));
        Assert.True(TypeScriptTypes.IsOptionalObject(new JsonObject { ["required"] = "a" }));
        Assert.False(TypeScriptTypes.IsOptionalObject(new JsonObject { ["required"] = new JsonArray("a") }));
    }

    [Fact]
    public void PropertyDescriptions_NestedInSchemaOrder_OnlyStrings()
    {
        var schema = JsonNode.Parse("""
            { "properties": {
                "a": { "description": "A.", "properties": { "b": { "description": "B." }, "c": { "description": 3 } } },
                "d": { "type": "string" },
                "e": null,
                "f": { "description": "F." } } }
            """);

        Assert.Equal([("x.a", "A."), ("x.a.b", "B."), ("x.f", "F.")], TypeScriptTypes.PropertyDescriptions(schema, "x"));
        Assert.Empty(TypeScriptTypes.PropertyDescriptions(JsonNode.Parse("""{ "properties": [] }"""), "x"));
        Assert.Empty(TypeScriptTypes.PropertyDescriptions(null, "x"));
    }
}
