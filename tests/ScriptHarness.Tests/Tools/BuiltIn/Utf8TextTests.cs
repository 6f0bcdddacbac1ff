using System.Text;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

/// <summary>Decoding a file's bytes: the byte order mark dropped, and a sequence cut by a read limit held back, not replaced.</summary>
public sealed class Utf8TextTests
{
    [Fact]
    public void Decode_DropsALeadingByteOrderMarkOnly()
    {
        Assert.Equal("a\uFEFFb", Utf8Text.Decode([0xEF, 0xBB, 0xBF, .. "a\uFEFFb"u8], cut: false));
        Assert.Equal(string.Empty, Utf8Text.Decode([0xEF, 0xBB, 0xBF], cut: false));
        Assert.Equal("\uFFFD", Utf8Text.Decode([0xEF, 0xBB], cut: false)); // half a mark is no mark: one bad sequence
    }

    [Fact]
    public void Decode_ACutFile_LeavesOutTheIncompleteLastCharacter()
    {
        var text = Encoding.UTF8.GetBytes("ab€"); // € is three bytes
        Assert.Equal("ab", Utf8Text.Decode(text.AsSpan(0, 4), cut: true));
        Assert.Equal("ab\uFFFD", Utf8Text.Decode(text.AsSpan(0, 4), cut: false));
        Assert.Equal("ab€", Utf8Text.Decode(text, cut: true));
    }

    [Fact]
    public void Decode_InvalidBytesInside_BecomeReplacementCharacters_CutOrNot()
    {
        byte[] bytes = [(byte)'a', 0xFF, (byte)'b'];
        Assert.Equal("a\uFFFDb", Utf8Text.Decode(bytes, cut: true));
        Assert.Equal("a\uFFFDb", Utf8Text.Decode(bytes, cut: false));
    }
}
