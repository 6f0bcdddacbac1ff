using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>A closing tag that is not in code must not end the block.</summary>
public sealed class LexicalStateTests
{
    [Theory]
    [InlineData("return '</tool-calls>';")]
    [InlineData("return \"</tool-calls>\";")]
    [InlineData("return `</tool-calls>`;")]
    [InlineData("return `a ${`</tool-calls>`} b`;")]
    [InlineData("return `a ${ { x: `${\"</tool-calls>\"}` }.x } b`;")]
    [InlineData("// the </tool-calls> tag ends a block\nreturn 1;")]
    [InlineData("/* </tool-calls> */ return 1;")]
    [InlineData("/* multi\n * </tool-calls>\n */ return 1;")]
    [InlineData("return 'it\\'s </tool-calls>';")]
    [InlineData("return \"say \\\"</tool-calls>\\\"\";")]
    [InlineData("return \"a\\\\\" + '</tool-calls>';")]
    [InlineData("return /<\\/tool-calls>/.test(s);")]
    [InlineData("return s.replace(/[/]<\\/tool-calls>/g, '');")]
    [InlineData("const q = /\"/; return '</tool-calls>';")]
    [InlineData("const q = x => /'/.test(x); return \"</tool-calls>\";")]
    [InlineData("if (ok) return typeof /\"/; return '</tool-calls>';")]
    [InlineData("return \"a\\\r\n</tool-calls>\";")]
    [InlineData("return `line1\n</tool-calls>\nline3`;")]
    public void Detect_ClosingTagOutsideCode_DoesNotEndBlock(string source)
    {
        var reply = "Before <tool-calls>" + source + "</tool-calls> after";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:Before ", "S(Tag):" + source, "T: after"], Segments.Shape(segments));
        Segments.AssertTiles(reply, segments);
    }

    // Regression (issue 17): a '/' after the ')' of an if/while/for head was taken for division, so the regex's quote
    // opened a string and the block ended early; HTML-like comments were code, so a backtick in one opened a template.
    [Theory]
    [InlineData("if (ok) /'/.test(s); return '</tool-calls>';")]
    [InlineData("while (i--) /\"/.test(s); return \"</tool-calls>\";")]
    [InlineData("for (const x of xs) /`/.test(x); return `</tool-calls>`;")]
    [InlineData("if (a && (b || c)) /'/g.exec(s); return '</tool-calls>';")]
    [InlineData("x = 1; <!-- an HTML-like comment with a ` tick\nreturn '</tool-calls>';")]
    [InlineData("x = 1;\n--> an HTML-like close comment with a ` tick\nreturn '</tool-calls>';")]
    [InlineData("x = 1;\n  \t--> after blanks it still is one, ` tick\nreturn '</tool-calls>';")]
    public void Detect_RegexAfterAControlHeadOrHtmlLikeComment_DoesNotEndBlockEarly(string source)
    {
        var reply = "Before <tool-calls>" + source + "</tool-calls> after";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:Before ", "S(Tag):" + source, "T: after"], Segments.Shape(segments));
        Segments.AssertTiles(reply, segments);
    }

    [Theory]
    [InlineData("const half = total / 2; return '</tool-calls>'.length / 2;")]
    [InlineData("const r = (a + b) / 2 / c; return r;")]
    [InlineData("const r = a[0] / b[1]; return \"x\";")]
    [InlineData("const r = n.return / 2; return r;")]
    [InlineData("return 10 / 2 /* ' */;")]
    [InlineData("const r = (a) / 2; const q = '/'; return r;")]
    [InlineData("const f = g(x) / 2 / h(y); return f;")]
    [InlineData("let n = 5; while (n-->0) n = n / 2 / 1; return n;")]
    [InlineData("let s = a++ / 2 + '/' + '`'; return s;")]
    [InlineData("let s = a-- / 2 + '/' + '`'; return s;")]
    public void Detect_Division_IsNotARegex(string source)
    {
        var reply = "<tool-calls>" + source + "</tool-calls>";

        Assert.Equal(["S(Tag):" + source], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_TemplateWithBracesInsideSubstitution_TracksDepth()
    {
        const string source = "return `${ (() => { if (a) { return '}'; } return `}`; })() }</tool-calls>`;";

        var segments = ToolCallDetector.Detect("<tool-calls>" + source + "</tool-calls>");

        Assert.Equal(["S(Tag):" + source], Segments.Shape(segments));
    }

    [Fact]
    public void Detect_DollarWithoutBraceInTemplate_StaysInTemplate()
    {
        const string source = "return `$5 $ </tool-calls> \\${ </tool-calls>`;";

        Assert.Equal(["S(Tag):" + source], Segments.Shape(ToolCallDetector.Detect("<tool-calls>" + source + "</tool-calls>")));
    }

    [Fact]
    public void Detect_UnterminatedStringBeforeLineBreak_RecoversAtNextLine()
    {
        // Strings cannot span lines, so a stray apostrophe costs one line, not the rest of the reply.
        const string reply = "<tool-calls>\nconst s = 'oops\nreturn s;\n</tool-calls> after";

        Assert.Equal(["S(Tag):\nconst s = 'oops\nreturn s;\n", "T: after"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_DivisionMistakenForRegex_RecoversAtNextLine()
    {
        // After ')' the heuristic says division; `if (x) /re/` is the documented miss, bounded by the line break.
        const string reply = "<tool-calls>\nif (x) /'/.test(s);\nreturn 1;\n</tool-calls>";

        Assert.Equal(["S(Tag):\nif (x) /'/.test(s);\nreturn 1;\n"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_ClosingTagAfterStringsAndComments_EndsBlockThere()
    {
        const string reply = "<tool-calls>'a' \"b\" `c` // d\n/* e */</tool-calls>rest";

        Assert.Equal(["S(Tag):'a' \"b\" `c` // d\n/* e */", "T:rest"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }
}
