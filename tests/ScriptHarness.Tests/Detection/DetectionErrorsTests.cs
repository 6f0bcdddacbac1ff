using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>The detection errors' texts, which a model reads to mend its reply: each names the markers involved.</summary>
public sealed class DetectionErrorsTests
{
    [Fact]
    public void Nested_NamesBothBlocks_AndSaysWhenTheReplyEndedInside()
    {
        var closed = DetectionErrors.Nested(BlockForm.FencedJavaScript, (5, 1), BlockForm.Tag, (2, 3), closed: true);
        var open = DetectionErrors.Nested(BlockForm.FencedTypeScript, (5, 1), BlockForm.Tag, (2, 3), closed: false);

        Assert.Equal(
            "```js tool-calls opened inside the <tool-calls> block that starts at line 2, column 3; blocks cannot be nested, so close each block before opening the next",
            closed.Message);
        Assert.Equal(
            "```ts tool-calls opened inside the <tool-calls> block that starts at line 2, column 3; blocks cannot be nested, so close each block before opening the next, and the reply ended before the blocks were closed",
            open.Message);
        Assert.Equal((ScriptErrorCode.NestedBlock, 5, 1), (closed.Code, closed.Line, closed.Column));
    }

    [Fact]
    public void Unclosed_NamesWhatWouldHaveClosedIt()
    {
        var tag = DetectionErrors.Unclosed(BlockForm.Tag, (1, 4));
        var fence = DetectionErrors.Unclosed(BlockForm.FencedJavaScript, (3, 1));

        Assert.Equal("the <tool-calls> block is never closed: the reply ends before its </tool-calls>", tag.Message);
        Assert.Equal("the ```js tool-calls block is never closed: the reply ends before its closing ``` line", fence.Message);
        Assert.Equal((ScriptErrorCode.UnclosedBlock, 3, 1), (fence.Code, fence.Line, fence.Column));
    }
}
