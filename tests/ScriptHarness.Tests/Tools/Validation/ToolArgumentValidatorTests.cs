using System.Text.Json.Nodes;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Tools.Validation;

public sealed class ToolArgumentValidatorTests
{
    private readonly ToolArgumentValidator _sut = new();

    private static ToolDefinition Tool(string schema) =>
        new("x.run", "", JsonNode.Parse(schema)!.AsObject(), (args, _, _) => ValueTask.FromResult(args));

    private async Task<ToolException> RejectsAsync(ToolDefinition tool, string arguments) =>
        await Assert.ThrowsAsync<ToolException>(async () => await _sut.ValidateAsync(tool, JsonNode.Parse(arguments), CancellationToken.None));

    [Fact]
    public void Validate_CompiledSchema_ValidArguments_CompleteSynchronously()
    {
        var tool = Tool("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""");

        var validation = _sut.ValidateAsync(tool, JsonNode.Parse("""{"path":"a.txt"}"""), CancellationToken.None);

        Assert.True(validation.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Validate_CompiledSchema_WrongType_NamesTheFieldAndTheKind()
    {
        var tool = Tool("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""");

        var ex = await RejectsAsync(tool, """{"path":3}""");

        Assert.Equal(ScriptErrorCode.ToolValidationFailed, ex.Error.Code);
        Assert.Equal("invalid arguments for x.run: path: string expected", ex.Message);
    }

    [Fact]
    public async Task Validate_CatastrophicPattern_RefusesTheArgumentsInsteadOfHanging()
    {
        var tool = Tool("""{"type":"object","properties":{"s":{"type":"string","pattern":"^(a+)+$"}}}""");

        var ex = await RejectsAsync(tool, $$"""{"s":"{{new string('a', 40)}}b"}""");

        Assert.Equal(ScriptErrorCode.ToolValidationFailed, ex.Error.Code);
        Assert.Equal("invalid arguments for x.run: a pattern check took longer than 1 s", ex.Message);
    }

    [Fact]
    public async Task Validate_ManyErrors_NamesTheFirstThree()
    {
        var tool = Tool("""{"type":"object","required":["a","b","c","d"],"additionalProperties":false}""");

        var ex = await RejectsAsync(tool, """{"e":1}""");

        Assert.Equal("invalid arguments for x.run: a: property required; b: property required; c: property required", ex.Message);
    }

    [Fact]
    public async Task Validate_NotAnObject_SaysArguments()
    {
        var ex = await RejectsAsync(Tool("""{"type":"object"}"""), "[1, 2]");

        Assert.Equal("invalid arguments for x.run: arguments: object expected", ex.Message);
    }

    [Fact]
    public async Task Validate_SchemaOutsideTheSubset_IsCheckedByNJsonSchema()
    {
        var tool = Tool("""{"type":"object","properties":{"site":{"type":"string","format":"uri"}},"required":["site"]}""");

        await _sut.ValidateAsync(tool, JsonNode.Parse("""{"site":"https://example.com/"}"""), CancellationToken.None);
        var ex = await RejectsAsync(tool, """{"site":"not a uri"}""");

        Assert.Equal("invalid arguments for x.run: site: uri expected", ex.Message);
    }

    [Fact]
    public async Task Validate_SchemaNJsonSchemaCannotRead_FailsEveryCall_SayingItIsTheSchema()
    {
        // The schema's fault, not the arguments': the message says so, and keeps NJsonSchema's reason for the host.
        var tool = Tool("""{"type":"object","properties":{"n":{"type":"number","maximum":1e30}}}""");

        for (var i = 0; i < 2; i++)
        {
            var ex = await Assert.ThrowsAsync<ToolException>(async () => await _sut.ValidateAsync(tool, new JsonObject(), CancellationToken.None));
            Assert.Equal(ScriptErrorCode.ToolValidationFailed, ex.Error.Code);
            Assert.StartsWith("the arguments of x.run cannot be checked, so it was not called: its schema is not one the harness can read (JsonReaderException: ",
                ex.Message, StringComparison.Ordinal);
            Assert.NotNull(ex.InnerException);
        }
    }

    [Fact]
    public async Task Validate_SameToolTwice_GivesTheSameVerdict()
    {
        var tool = Tool("""{"type":"object","properties":{"n":{"type":"integer","minimum":1}}}""");

        for (var i = 0; i < 2; i++)
        {
            await _sut.ValidateAsync(tool, JsonNode.Parse("""{"n":1}"""), CancellationToken.None);
            await RejectsAsync(tool, """{"n":0}""");
        }
    }

    [Theory]
    [InlineData("""{"type":"object","additionalProperties":true}""", """{"i":1}""")]
    [InlineData("""{"type":"object","properties":{"path":{"type":"string","maxLength":4096},"offset":{"type":"integer","minimum":0},"mode":{"type":"string","enum":["text","regex"]},"tags":{"type":"array","items":{"type":"string","pattern":"^[a-z]+$"}}},"required":["path"],"additionalProperties":false}""",
        """{"path":"src/a.txt","offset":10,"mode":"regex","tags":["a","b"]}""")]
    public void Validate_ValidArguments_AllocateNothing(string schema, string arguments)
    {
        var tool = Tool(schema);
        var node = JsonNode.Parse(arguments);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(Passed(_sut.ValidateAsync(tool, node, CancellationToken.None))); // compiles; the JsonObject fills its members
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var passed = 0;
        for (var i = 0; i < 100; i++)
        {
            passed += Passed(_sut.ValidateAsync(tool, node, CancellationToken.None)) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100, passed);
    }

    private static bool Passed(ValueTask validation) => validation.IsCompletedSuccessfully;
}
