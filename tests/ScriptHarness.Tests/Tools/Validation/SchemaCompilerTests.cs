using System.Text.Json.Nodes;
using ScriptHarness.Tests.Tools.BuiltIn;
using ScriptHarness.Tools.BuiltIn;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tests.Tools.Validation;

/// <summary>Which schemas are compiled and which stay with NJsonSchema.</summary>
public sealed class SchemaCompilerTests
{
    private static SchemaNode? Compile(string schema) => SchemaCompiler.TryCompile(JsonNode.Parse(schema)!.AsObject());

    [Fact]
    public void TryCompile_EveryBuiltInToolSchema_IsCompiled()
    {
        using var workspace = new TempWorkspace();
        var tools = FilesToolSet.Create(workspace.Root).Tools.Concat(TestToolSet.Create().Tools).ToList();

        Assert.NotEmpty(tools);
        Assert.All(tools, t => Assert.True(SchemaCompiler.TryCompile(t.ArgumentsSchema) is not null, t.Name));
    }

    [Theory]
    [InlineData("""{"type":"object","additionalProperties":true,"description":"Any object."}""")]
    [InlineData("""{"type":"object"}""")]
    [InlineData("""{"type":"object","title":"t","default":{},"examples":[{}],"$schema":"http://json-schema.org/draft-07/schema#","$id":"urn:x","x-origin":"mcp"}""")]
    public void TryCompile_AnyObject_ChecksOnlyTheType(string schema)
    {
        var compiled = Compile(schema);

        Assert.NotNull(compiled);
        Assert.True(compiled.IsTypeOnly);
        Assert.Equal(JsonTypes.Object, compiled.Types);
    }

    [Fact]
    public void TryCompile_EmptySchema_AcceptsAnything()
    {
        var compiled = Compile("{}");

        Assert.NotNull(compiled);
        Assert.True(compiled.IsTypeOnly);
        Assert.All(new[] { "{}", "[]", "1", "\"s\"", "null", "true" }, json => Assert.True(compiled.IsValid(JsonNode.Parse(json))));
    }

    [Theory]
    [InlineData("int32")]
    [InlineData("password")]
    [InlineData("uri-reference")]
    public void TryCompile_FormatNJsonSchemaIgnores_IsCompiledAndIgnored(string format)
    {
        var compiled = Compile($$"""{"type":"string","format":"{{format}}"}""");

        Assert.NotNull(compiled);
        Assert.True(compiled.IsValid(JsonValue.Create("not in any format")));
    }

    [Theory]
    [InlineData("""{"oneOf":[{"type":"string"},{"type":"null"}]}""")] // NJsonSchema reads null through oneOf
    [InlineData("""{"allOf":[{"type":"string"},{"maxLength":3}]}""")]
    [InlineData("""{"anyOf":[{"type":"string"}]}""")] // one branch: a reference to NJsonSchema
    [InlineData("""{"type":"string","format":"uri"}""")] // NJsonSchema checks it
    [InlineData("""{"type":"string","format":"date-time"}""")]
    [InlineData("""{"type":"object","patternProperties":{"^x":{"type":"string"}}}""")]
    [InlineData("""{"type":"array","uniqueItems":true}""")]
    [InlineData("""{"type":"array","items":[{"type":"string"}]}""")]
    [InlineData("""{"type":"array","items":true}""")]
    [InlineData("""{"type":"object","properties":{"a":true}}""")]
    [InlineData("""{"type":"file"}""")]
    [InlineData("""{"type":"strnig"}""")]
    [InlineData("""{"type":[]}""")]
    [InlineData("""{"type":"string","minLength":"3"}""")]
    [InlineData("""{"type":"string","maxLength":-1}""")]
    [InlineData("""{"type":"string","maxLength":1.5}""")]
    [InlineData("""{"type":"number","multipleOf":0}""")]
    [InlineData("""{"type":"number","maximum":1e30}""")] // past decimal: NJsonSchema cannot load it
    [InlineData("""{"type":"string","pattern":"(unclosed"}""")]
    [InlineData("""{"type":"object","required":"a"}""")]
    [InlineData("""{"type":"object","additionalProperties":"no"}""")]
    [InlineData("""{"type":"string","nullable":"yes"}""")]
    [InlineData("""{"enum":[{"a":1}]}""")]
    [InlineData("""{"const":[1]}""")]
    [InlineData("""{"if":{"type":"string"},"then":{"minLength":1}}""")]
    [InlineData("""{"dependencies":{"a":["b"]}}""")]
    [InlineData("""{"properties":{"a":{"$id":"urn:nested","type":"string"}}}""")]
    [InlineData("""{"properties":{"a":{"$ref":"#/definitions/A","type":"string"}},"definitions":{"A":{}}}""")] // NJsonSchema drops the sibling
    [InlineData("""{"properties":{"a":{"$ref":"#/definitions/Missing"}},"definitions":{}}""")]
    [InlineData("""{"properties":{"a":{"$ref":"other.json#/definitions/A"}}}""")]
    [InlineData("""{"properties":{"a":{"$ref":"#/definitions/a~1b"}},"definitions":{"a/b":{}}}""")]
    [InlineData("""{"properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"$ref":"#/definitions/B"},"B":{"$ref":"#/definitions/A"}}}""")]
    [InlineData("""{"properties":{"a":{"$ref":"#"}}}""")]
    public void TryCompile_OutsideTheSubset_IsLeftToNJsonSchema(string schema)
    {
        Assert.Null(Compile(schema));
    }

    [Fact]
    public void TryCompile_SchemaBuiltInCode_ReadsItsJsonText()
    {
        // A host builds schemas with CLR values (a double bound here); they mean what their JSON text says.
        var schema = new JsonObject { ["type"] = "number", ["minimum"] = 0.5, ["maximum"] = 2L };

        var compiled = SchemaCompiler.TryCompile(schema);

        Assert.NotNull(compiled);
        Assert.Equal(0.5m, compiled.Minimum);
        Assert.True(compiled.IsValid(JsonValue.Create(2)));
        Assert.False(compiled.IsValid(JsonValue.Create(0.25)));
    }
}
