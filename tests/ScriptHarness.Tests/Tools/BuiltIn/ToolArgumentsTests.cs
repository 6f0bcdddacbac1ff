using System.Text.Json.Nodes;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

/// <summary>
/// How the built-in tools read their arguments: unknown names refused with the expected ones, strings, booleans and
/// integers each checked with a message naming the argument, JSON null read as absent.
/// </summary>
public sealed class ToolArgumentsTests
{
    [Fact]
    public void Parse_NoArguments_ReadsEveryArgumentAsAbsent()
    {
        var args = ToolArguments.Parse(null, "path");
        Assert.Null(args.OptionalString("path", 10));
        Assert.True(args.Boolean("flag", defaultValue: true));
        Assert.Equal(7, args.Integer("n", 7, 0, 10));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"path\"")]
    [InlineData("3")]
    public void Parse_NotAnObject_IsRefused(string json)
    {
        Assert.Equal("arguments must be an object", Fails(() => ToolArguments.Parse(JsonNode.Parse(json), "path")));
    }

    [Fact]
    public void Parse_AnUnknownArgument_NamesTheExpectedOnes()
    {
        Assert.Equal(
            "unknown argument 'file'; expected: path, maxBytes",
            Fails(() => ToolArguments.Parse(new JsonObject { ["path"] = "a", ["file"] = "b" }, "path", "maxBytes")));
        Assert.Equal("unknown argument 'x'; expected: none", Fails(() => ToolArguments.Parse(new JsonObject { ["x"] = 1 })));
    }

    [Fact]
    public void Parse_AnUnknownArgumentsLongName_IsCutAt64Characters()
    {
        var name64 = new string('k', 64);
        Assert.Equal($"unknown argument '{name64}'; expected: path", Fails(() => ToolArguments.Parse(new JsonObject { [name64] = 1 }, "path")));
        Assert.Equal($"unknown argument '{name64}…'; expected: path", Fails(() => ToolArguments.Parse(new JsonObject { [name64 + "k"] = 1 }, "path")));
    }

    [Fact]
    public void Strings_AreCheckedForType_Emptiness_AndLength()
    {
        var args = ToolArguments.Parse(
            new JsonObject { ["s"] = "abc", ["empty"] = "", ["number"] = 1, ["nothing"] = null },
            "s", "empty", "number", "nothing", "missing");

        Assert.Equal("abc", args.RequiredString("s", 3));
        Assert.Equal("argument 's' must be at most 2 characters", Fails(() => args.RequiredString("s", 2)));
        Assert.Equal("argument 'empty' must not be empty", Fails(() => args.OptionalString("empty", 10)));
        Assert.Equal(string.Empty, args.OptionalString("empty", 10, allowEmpty: true));
        Assert.Equal("argument 'number' must be a string", Fails(() => args.OptionalString("number", 10)));
        Assert.Null(args.OptionalString("nothing", 10));
        Assert.Null(args.OptionalString("missing", 10));
        Assert.Equal("argument 'missing' is required", Fails(() => args.RequiredString("missing", 10)));
        Assert.Equal("argument 'nothing' is required", Fails(() => args.RequiredString("nothing", 10)));
    }

    [Fact]
    public void Booleans_TakeTrueFalseOrTheDefault()
    {
        var args = ToolArguments.Parse(
            new JsonObject { ["yes"] = true, ["no"] = false, ["nothing"] = null, ["text"] = "true", ["one"] = 1 },
            "yes", "no", "nothing", "text", "one");

        Assert.True(args.Boolean("yes", defaultValue: false));
        Assert.False(args.Boolean("no", defaultValue: true));
        Assert.True(args.Boolean("nothing", defaultValue: true));
        Assert.False(args.Boolean("absent", defaultValue: false));
        Assert.Equal("argument 'text' must be a boolean", Fails(() => args.Boolean("text", defaultValue: false)));
        Assert.Equal("argument 'one' must be a boolean", Fails(() => args.Boolean("one", defaultValue: false)));
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("1", 1)]
    [InlineData("10", 10)]
    [InlineData("5.0", 5)]
    [InlineData("1e1", 10)]
    [InlineData("null", 7)]
    public void Integers_WithinTheirBounds_AreRead(string json, int expected)
    {
        var args = ToolArguments.Parse(JsonNode.Parse($"{{\"n\":{json}}}"), "n");
        Assert.Equal(expected, args.Integer("n", 7, 1, 10));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    [InlineData("2.5")]
    [InlineData("\"5\"")]
    [InlineData("true")]
    [InlineData("1e300")]
    public void Integers_OutOfBoundsFractionsAndOtherTypes_AreRefused(string json)
    {
        var args = ToolArguments.Parse(JsonNode.Parse($"{{\"n\":{json}}}"), "n");
        Assert.Equal("argument 'n' must be an integer between 1 and 10", Fails(() => args.Integer("n", 7, 1, 10)));
        Assert.Equal("argument 'n' must be an integer between 1 and 10", Fails(() => args.RequiredInteger("n", 1, 10)));
    }

    [Fact]
    public void RequiredInteger_Absent_IsRequired()
    {
        var args = ToolArguments.Parse(new JsonObject { ["n"] = null, ["m"] = 3 }, "n", "m");
        Assert.Equal("argument 'n' is required", Fails(() => args.RequiredInteger("n", 1, 10)));
        Assert.Equal(3, args.RequiredInteger("m", 1, 10));
    }

    [Fact]
    public void Integers_BuiltInCode_AreReadLikeParsedOnes()
    {
        // A host calling a built-in tool directly passes CLR-backed values, not parsed elements.
        var args = ToolArguments.Parse(new JsonObject { ["n"] = JsonValue.Create(4.0), ["m"] = JsonValue.Create(3L) }, "n", "m");
        Assert.Equal((4, 3), (args.Integer("n", 0, 0, 10), args.Integer("m", 0, 0, 10)));
    }

    private static string Fails(Func<object?> read)
    {
        var error = Assert.Throws<ToolException>(() => read());
        Assert.Equal(ScriptErrorCode.ToolValidationFailed, error.Error.Code);
        return error.Error.Message;
    }
}
