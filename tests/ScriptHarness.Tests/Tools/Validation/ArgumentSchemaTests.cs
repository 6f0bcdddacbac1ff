using System.Text.Json.Nodes;
using ScriptHarness.Tools.Validation;

namespace ScriptHarness.Tests.Tools.Validation;

/// <summary>
/// One schema, prepared: the "any object" shortcut only for a schema that is exactly that, numbers past decimal's range
/// compared as doubles, and NJsonSchema's path for a schema the compiler leaves to it, null arguments included.
/// </summary>
public sealed class ArgumentSchemaTests
{
    private static ValueTask ValidateAsync(string schema, JsonNode? arguments) =>
        ArgumentSchema.For(JsonNode.Parse(schema)!.AsObject()).ValidateAsync("x.run", arguments, CancellationToken.None);

    private static async Task<string> RejectedAsync(string schema, JsonNode? arguments)
    {
        var error = await Assert.ThrowsAsync<ToolException>(async () => await ValidateAsync(schema, arguments));
        Assert.Equal(ScriptErrorCode.ToolValidationFailed, error.Error.Code);
        return error.Error.Message;
    }

    [Fact]
    public async Task ATypeOnlySchema_OtherThanObject_DoesNotTakeTheAnyObjectShortcut()
    {
        Assert.Equal("invalid arguments for x.run: arguments: string expected", await RejectedAsync("""{"type":"string"}""", new JsonObject()));
        Assert.Equal("invalid arguments for x.run: arguments: array expected", await RejectedAsync("""{"type":"array"}""", new JsonObject()));
        await ValidateAsync("""{"type":"object"}""", new JsonObject());
        Assert.Equal("invalid arguments for x.run: arguments: object expected", await RejectedAsync("""{"type":"object"}""", new JsonArray()));
        Assert.Equal("invalid arguments for x.run: arguments: object expected", await RejectedAsync("""{"type":"object"}""", null));
    }

    [Theory]
    [InlineData("1e30", 2, true)]
    [InlineData("1e30", 7, false)] // 1e30 as a double leaves 5 over
    [InlineData("3e30", 7, true)]
    [InlineData("1000000000000000000000000000000", 2, true)] // an integer's text, past decimal's range
    public async Task MultipleOf_ANumberPastDecimalsRange_IsComparedAsADouble(string number, int step, bool valid)
    {
        var schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"multipleOf\":" + step + "}}}";
        var arguments = JsonNode.Parse("{\"n\":" + number + "}");
        if (valid)
        {
            await ValidateAsync(schema, arguments);
        }
        else
        {
            Assert.StartsWith("invalid arguments for x.run: n:", await RejectedAsync(schema, arguments));
        }
    }

    [Fact]
    public async Task ASchemaLeftToNJsonSchema_ChecksNullArgumentsAsJsonNull()
    {
        // A reference to the root is not compiled: NJsonSchema validates, from the arguments' JSON text ("null" here).
        const string schema = """{"type":"object","properties":{"a":{"$ref":"#"}}}""";
        Assert.Null(SchemaCompiler.TryCompile(JsonNode.Parse(schema)!.AsObject()));

        Assert.Equal("invalid arguments for x.run: arguments: object expected", await RejectedAsync(schema, null));
        await ValidateAsync(schema, new JsonObject { ["a"] = new JsonObject() });
        await ValidateAsync("""{"properties":{"a":{"$ref":"#"}}}""", null);
    }

    [Theory]
    [InlineData("[\"string\",\"number\"]", "\"s\"", true)]
    [InlineData("[\"string\",\"number\"]", "1.5", true)]
    [InlineData("[\"string\",\"number\"]", "{}", false)]
    [InlineData("[\"string\",\"number\"]", "[]", false)]
    [InlineData("[\"string\",\"number\"]", "true", false)]
    [InlineData("[\"string\",\"number\"]", "null", false)]
    [InlineData("[\"object\",\"null\"]", "{}", true)]
    [InlineData("[\"object\",\"null\"]", "null", true)]
    [InlineData("[\"object\",\"null\"]", "[]", false)]
    [InlineData("[\"object\",\"null\"]", "\"s\"", false)]
    [InlineData("[\"array\",\"boolean\"]", "[]", true)]
    [InlineData("[\"array\",\"boolean\"]", "false", true)]
    [InlineData("[\"array\",\"boolean\"]", "{}", false)]
    [InlineData("[\"array\",\"boolean\"]", "0", false)]
    [InlineData("[\"integer\",\"string\"]", "2", true)]
    [InlineData("[\"integer\",\"string\"]", "2.5", false)]
    [InlineData("[\"integer\",\"string\"]", "null", false)]
    public async Task ASchemaOfSeveralTypes_TakesAValueOfAnyOfThem(string types, string value, bool valid)
    {
        var schema = "{\"type\":\"object\",\"properties\":{\"v\":{\"type\":" + types + "}}}";
        var arguments = JsonNode.Parse("{\"v\":" + value + "}");
        if (valid)
        {
            await ValidateAsync(schema, arguments);
        }
        else
        {
            Assert.Equal("invalid arguments for x.run: v: no type validates", await RejectedAsync(schema, arguments));
        }
    }
}
