using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptWrapperTests
{
    [Fact]
    public void Wrap_PutsSourceOnThePrefixLine_SoLineNumbersAreUnchanged()
    {
        const string source = "await store('a', await load('b')); tools.$search('x'); return Date.now() + Math.random();\nb();";
        var wrapped = ScriptWrapper.Wrap(source);

        Assert.Equal(ScriptWrapper.Prefix + source + "\n} })", wrapped);
        Assert.EndsWith("async function $script() {", ScriptWrapper.Prefix, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ScriptWrapper.Prefix);
        Assert.Equal(3, wrapped.Split('\n').Length);
    }

    [Fact]
    public void Wrap_ASourceNamingNoHelper_HasSpacesInTheirPlace_AtTheSameLength()
    {
        var wrapped = ScriptWrapper.Wrap("return 1+1");

        Assert.Equal(ScriptWrapper.WrapBare("return 1+1"), wrapped);
        Assert.Equal(ScriptWrapper.Prefix.Length + "return 1+1".Length + ScriptWrapper.Suffix.Length, wrapped.Length);
        Assert.StartsWith("(function () { const $run = ($script) => $script(); ", wrapped, StringComparison.Ordinal);
        Assert.EndsWith(" return $run($script); async function $script() {return 1+1\n} })", wrapped, StringComparison.Ordinal);
        Assert.DoesNotContain("globalThis", wrapped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return tools['a'].b();", "const tools = new Proxy", "async function store")]
    [InlineData("return tools.$search('q');", "const tools = new Proxy", "async function store")]
    [InlineData("const t = tools; return t.a.b();", "const tools = new Proxy", "async function store")]
    [InlineData("return tools?.a.b();", "const tools = new Proxy", "async function store")]
    [InlineData("return Reflect.get(tools, k);", "const tools = new Proxy", "async function store")]
    [InlineData("await store('k', tools.a); return tools", "const tools = new Proxy", "async function load")]
    [InlineData("return 1; // tools.", "const tools = new Proxy", "async function store")]
    [InlineData("tools[k].a();", "const tools = new Proxy", "async function store")]
    [InlineData("return tools.\n  a.b();", "const tools = new Proxy", "async function store")]
    [InlineData("await store('k', tools.a.b());", "async function store", "const tools")]
    [InlineData("return await $search('q');", "async function $search", "const $r =")]
    [InlineData("return $describe;", "async function $describe", "async function load")]
    [InlineData("await store('k', 1);", "async function store", "const tools")]
    [InlineData("return load('k');", "async function load", "async function store")]
    [InlineData("return Date.now();", "const Date = $r", "const Math")]
    [InlineData("return Date.now();", "const $r = '$replay' in $t", "const tools")]
    [InlineData("return Math.random();", "const Math = $r", "const Date")]
    [InlineData("return Math.random();", "const $r = '$replay' in $t", "async function load")]
    [InlineData("return $r;", "const $r = '$replay' in $t", "const Math")]
    [InlineData("return $t;", "const $t = globalThis.tools", "const tools")]
    public void Wrap_WritesTheHelpersASourceNames_AndOnlyThose(string source, string written, string notWritten)
    {
        var wrapped = ScriptWrapper.Wrap(source);

        Assert.Contains(written, wrapped, StringComparison.Ordinal);
        Assert.Contains("const $t = globalThis.tools", wrapped, StringComparison.Ordinal);
        Assert.DoesNotContain(notWritten, wrapped, StringComparison.Ordinal);
        Assert.Equal(ScriptWrapper.Prefix.Length, wrapped.IndexOf(source, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("return await tools.a.b();")]
    [InlineData("for (let i = 0; i < 3; i++) await tools.echo({ i }); return tools.$x;")]
    [InlineData("const r = await tools.fs.read({ path: 'a' });\nreturn tools._x;")]
    public void Wrap_ASourceUsingToolsOnlyAsStaticMembers_HasNoDiscoveryProxy(string source)
    {
        // Each access reads a named member, and neither $search nor $describe is named: the proxy would forward every one.
        Assert.Equal(ScriptWrapper.WrapBare(source), ScriptWrapper.Wrap(source));
    }

    [Fact]
    public void Wrap_AnEscapeInTheSource_KeepsEveryHelper()
    {
        // \u0074ools is the identifier tools: a text search for the name would miss it.
        const string source = "return \\u0074ools.a.b();";

        Assert.Equal(ScriptWrapper.Prefix + source + ScriptWrapper.Suffix, ScriptWrapper.Wrap(source));
    }

    [Fact]
    public void IsInPrefix_EndsAtThePrefixsLastColumn_OnLineOne()
    {
        Assert.True(ScriptWrapper.IsInPrefix(1, ScriptWrapper.Prefix.Length));
        Assert.False(ScriptWrapper.IsInPrefix(1, ScriptWrapper.Prefix.Length + 1));
        Assert.False(ScriptWrapper.IsInPrefix(2, 1));
    }

    [Fact]
    public void Wrap_AndWrapBare_RefuseANullSource()
    {
        Assert.Throws<ArgumentNullException>(() => ScriptWrapper.Wrap(null!));
        Assert.Throws<ArgumentNullException>(() => ScriptWrapper.WrapBare(null!));
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
