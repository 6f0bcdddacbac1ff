using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

public sealed class WrappedScriptParserTests
{
    [Theory]
    [InlineData("return 1;")]
    [InlineData("const a = await tools.x.y({}); return a;")]
    [InlineData("")]
    public void AScriptThatStaysInsideTheWrapper_GivesItsBody_AndNoError(string source)
    {
        var body = WrappedScriptParser.Parse(source, out var error);
        Assert.NotNull(body);
        Assert.Null(error);
    }

    [Fact]
    public void AScriptThatClosesTheWrapper_GivesNoBody_AndASyntaxErrorAtTheClosingBrace()
    {
        var body = WrappedScriptParser.Parse("return 1; }\nfunction __script() {", out var error);
        Assert.Null(body);
        Assert.NotNull(error);
        Assert.Equal(ScriptErrorCode.SyntaxError, error.Code);
        Assert.Equal("The block must be a function body; it closes the wrapper.", error.Message);
    }
}
