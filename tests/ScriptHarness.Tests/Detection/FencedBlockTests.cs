using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

public sealed class FencedBlockTests
{
    [Theory]
    [InlineData("js", BlockForm.FencedJavaScript)]
    [InlineData("javascript", BlockForm.FencedJavaScript)]
    [InlineData("ts", BlockForm.FencedTypeScript)]
    [InlineData("typescript", BlockForm.FencedTypeScript)]
    public void Detect_FencedToolCalls_ReturnsScriptWithForm(string language, BlockForm form)
    {
        var reply = $"Plan:\n```{language} tool-calls\nconst x = 1;\nreturn x;\n```\nAfter.";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:Plan:\n", $"S({form}):const x = 1;\nreturn x;\n", "T:\nAfter."], Segments.Shape(segments));
        var script = Assert.IsType<ScriptSegment>(segments[1]);
        Assert.Equal(6, script.Start);
        Assert.Equal(reply.IndexOf("const", StringComparison.Ordinal), script.SourceStart);
        Assert.Equal(reply.IndexOf("\nAfter", StringComparison.Ordinal), script.Start + script.Length);
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_FenceWithExtraBlanks_IsRecognised()
    {
        const string reply = "```ts \t tool-calls  \nreturn 1\n```   \n";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["S(FencedTypeScript):return 1\n", "T:\n"], Segments.Shape(segments));
        Assert.Equal("```ts \t tool-calls  \nreturn 1\n```   ".Length, segments[0].Length);
    }

    [Fact]
    public void Detect_FenceWithCrLf_KeepsLineBreaksOutOfTheMarkers()
    {
        const string reply = "Hi\r\n```js tool-calls\r\nreturn 1;\r\n```\r\nBye\r\n";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["T:Hi\r\n", "S(FencedJavaScript):return 1;\r\n", "T:\r\nBye\r\n"], Segments.Shape(segments));
        Segments.AssertTiles(reply, segments);
    }

    [Fact]
    public void Detect_FenceClosingAtEndOfReply_IsClosed()
    {
        var segments = ToolCallDetector.Detect("```js tool-calls\nreturn 1\n```");

        Assert.Equal(["S(FencedJavaScript):return 1\n"], Segments.Shape(segments));
    }

    [Theory]
    [InlineData("```js\nreturn 1\n```\n")]
    [InlineData("```python tool-calls\nprint(1)\n```\n")]
    [InlineData("```jsx tool-calls\nx\n```\n")]
    [InlineData("```js tool-calls please\nx\n```\n")]
    [InlineData("```js tool-call\nx\n```\n")]
    [InlineData("````js tool-calls\nx\n````\n")]
    [InlineData("text ```js tool-calls\nx\n```\n")]
    public void Detect_OtherFences_AreProse(string reply)
    {
        Assert.Equal(["T:" + reply], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_FenceCloseWithTextAfterBackticks_DoesNotCloseBlock()
    {
        const string reply = "```js tool-calls\nconst a = 1;\n```js\n```\n";

        // "```js" is not a closing line; lexed as JavaScript it is an empty template plus a template that the
        // next line's first backtick closes, so the final line is not a closing fence either.
        Assert.Equal(["M(unclosed_block):" + reply], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_ClosingFenceInsideBlockComment_DoesNotCloseBlock()
    {
        const string reply = "```js tool-calls\n/* example:\n```\n*/\nreturn 1;\n```\nok";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["S(FencedJavaScript):/* example:\n```\n*/\nreturn 1;\n", "T:\nok"], Segments.Shape(segments));
    }

    [Fact]
    public void Detect_BackticksInsideTemplate_DoNotCloseBlock()
    {
        // A template cannot hold a raw ``` line (its first backtick would end the template), so escaped ones.
        const string reply = "```js tool-calls\nconst md = `\n\\`\\`\\`\n`;\nreturn md;\n```\nok";

        var segments = ToolCallDetector.Detect(reply);

        Assert.Equal(["S(FencedJavaScript):const md = `\n\\`\\`\\`\n`;\nreturn md;\n", "T:\nok"], Segments.Shape(segments));
    }

    [Fact]
    public void Detect_ClosingFenceAfterLineComment_ClosesBlock()
    {
        const string reply = "```js tool-calls\nreturn 1 // it's done\n```\n";

        Assert.Equal(["S(FencedJavaScript):return 1 // it's done\n", "T:\n"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_ClosingTagInsideFencedBlock_IsContent()
    {
        const string reply = "```js tool-calls\nreturn '<b>' + 1 </tool-calls>\n```\n";

        // Only the fence closes a fenced block; the tag reaches the parser, which reports it with a position.
        Assert.Equal(["S(FencedJavaScript):return '<b>' + 1 </tool-calls>\n", "T:\n"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_FenceAndTagBlocks_BothFound()
    {
        const string reply = "<tool-calls>a()</tool-calls>\n```typescript tool-calls\nb()\n```";

        Assert.Equal(["S(Tag):a()", "T:\n", "S(FencedTypeScript):b()\n"], Segments.Shape(ToolCallDetector.Detect(reply)));
    }

    [Fact]
    public void Detect_FenceOpenAtEndOfReply_IsUnclosed()
    {
        var segments = ToolCallDetector.Detect("intro\n```js tool-calls");

        Assert.Equal(["T:intro\n", "M(unclosed_block):```js tool-calls"], Segments.Shape(segments));
    }
}
