using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptWrapperTests
{
    [Fact]
    public void Wrap_PutsSourceOnThePrefixLine_SoLineNumbersAreUnchanged()
    {
        var wrapped = ScriptWrapper.Wrap("a();\nb();");

        Assert.Equal(ScriptWrapper.Prefix + "a();\nb();\n} })", wrapped);
        Assert.EndsWith("async function $script() {", ScriptWrapper.Prefix, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ScriptWrapper.Prefix);
        Assert.Equal(3, wrapped.Split('\n').Length);
    }

    [Fact]
    public void ToScriptPosition_OnLineOne_SubtractsPrefixLength()
    {
        Assert.Equal((1, 5), ScriptWrapper.ToScriptPosition(1, ScriptWrapper.Prefix.Length + 5));
    }

    [Fact]
    public void ToScriptPosition_OnLaterLines_KeepsLineAndColumn()
    {
        Assert.Equal((3, 7), ScriptWrapper.ToScriptPosition(3, 7));
    }

    [Fact]
    public void ToScriptPosition_InsidePrefix_ClampsToColumnOne()
    {
        Assert.Equal((1, 1), ScriptWrapper.ToScriptPosition(1, 3));
    }

    [Fact]
    public void BodyStartAndBodyEnd_PointAtTheWrapperBraces()
    {
        const string source = "return 1;";
        var wrapped = ScriptWrapper.Wrap(source);

        Assert.Equal('{', wrapped[ScriptWrapper.BodyStart]);
        Assert.Equal('}', wrapped[ScriptWrapper.BodyEnd(source.Length) - 1]);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(2, 1, false)]
    public void IsInPrefix_OnlyLineOneBeforeTheSource(int line, int column, bool expected) =>
        Assert.Equal(expected, ScriptWrapper.IsInPrefix(line, column));

    [Fact]
    public void IsInPrefix_TheSourcesFirstColumnIsNot() =>
        Assert.False(ScriptWrapper.IsInPrefix(1, ScriptWrapper.Prefix.Length + 1));
}
