using System.Text.Json.Nodes;
using ScriptHarness.Tools.Validation;
using static ScriptHarness.Tests.Tools.Validation.SchemaDifferentialTests;

namespace ScriptHarness.Tests.Tools.Validation;

/// <summary>Where the compiled validator follows JSON Schema rather than NJsonSchema, on purpose.</summary>
public sealed class SchemaDeliberateDifferenceTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"v":{"const":"yes"}}}""", """{"v":"no"}""", "v: not const value")]
    [InlineData("""{"type":"object","properties":{"v":{"const":3}}}""", """{"v":"3"}""", "v: not const value")]
    [InlineData("""{"type":"object","properties":{"v":{"const":null}}}""", """{"v":0}""", "v: not const value")]
    public void Const_IsEnforced_WhereNJsonSchemaIgnoredIt(string schema, string arguments, string detail)
    {
        Assert.Null(NJsonSchemaMessage(schema, arguments));

        var compiled = SchemaCompiler.TryCompile(JsonNode.Parse(schema)!.AsObject())!;

        Assert.Equal($"invalid arguments for x.run: {detail}", CompiledMessage(compiled, JsonNode.Parse(arguments)));
    }

    [Theory]
    [InlineData("""{"const":"yes"}""", "\"yes\"")]
    [InlineData("""{"const":3}""", "3.0")]
    [InlineData("""{"const":false}""", "false")]
    [InlineData("""{"const":null}""", "null")]
    public void Const_SameValue_IsValid(string schema, string value)
    {
        var compiled = SchemaCompiler.TryCompile(JsonNode.Parse(schema)!.AsObject())!;

        Assert.True(compiled.IsValid(JsonNode.Parse(value)));
    }

    [Theory]
    [InlineData("""{"enum":["1"]}""", "1")] // NJsonSchema compared ToString(): "1" matched the number 1
    [InlineData("""{"enum":[1]}""", "\"1\"")]
    [InlineData("""{"enum":["True"]}""", "true")]
    public void Enum_OfAnotherKind_DoesNotMatch_WhereNJsonSchemaComparedText(string schema, string value)
    {
        Assert.Null(NJsonSchemaMessage(schema, value));

        var compiled = SchemaCompiler.TryCompile(JsonNode.Parse(schema)!.AsObject())!;

        Assert.Equal("invalid arguments for x.run: arguments: not in enumeration", CompiledMessage(compiled, JsonNode.Parse(value)));
    }
}
