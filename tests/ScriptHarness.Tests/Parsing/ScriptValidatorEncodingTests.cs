using System.Security.Cryptography;
using System.Text;
using ScriptHarness.Parsing;
using static ScriptHarness.Tests.Parsing.ScriptValidatorTestHelpers;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptValidatorEncodingTests
{
    [Fact]
    public void Validate_TopLevelAwaitAndReturn_IsAccepted()
    {
        const string source = "const files = await tools.files.list({ dir: 'src' });\nreturn { count: files.length };";

        var script = AssertValid(CreateSut().Validate(source));

        Assert.Equal(source, script.Source);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  \r\n")]
    public void Validate_EmptyOrWhitespaceSource_IsAccepted(string source)
    {
        var script = AssertValid(CreateSut().Validate(source));

        Assert.Equal(source, script.Source);
    }

    [Fact]
    public void Validate_LeadingBom_IsStrippedAndHashesLikeTheScriptWithoutIt()
    {
        var sut = CreateSut();

        var withBom = AssertValid(sut.Validate("\uFEFFreturn 1;"));
        var without = AssertValid(sut.Validate("return 1;"));

        Assert.Equal("return 1;", withBom.Source);
        Assert.Equal(without.Sha256, withBom.Sha256);
        Assert.Equal(9, withBom.SizeBytes);
    }

    [Fact]
    public void Validate_Utf8WithLeadingBom_IsStrippedAndHashesLikeTheScriptWithoutIt()
    {
        var sut = CreateSut();

        var withBom = AssertValid(sut.Validate([0xEF, 0xBB, 0xBF, .. Utf8("return 1;")]));
        var without = AssertValid(sut.Validate("return 1;"));

        Assert.Equal("return 1;", withBom.Source);
        Assert.Equal(without.Sha256, withBom.Sha256);
        Assert.Equal(9, withBom.SizeBytes);
    }

    [Fact]
    public void Validate_InvalidUtf8Bytes_IsRejectedWithByteOffsetAndPosition()
    {
        byte[] bytes = [.. Utf8("let a = 1;\nlet b = '"), 0xFF, .. Utf8("';")];

        var error = AssertRejected(CreateSut().Validate(bytes), ScriptErrorCode.InvalidUtf8, line: 2, column: 10);

        Assert.Contains("byte offset 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidUtf8AfterBom_ReportsOffsetInTheGivenBytes()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Utf8("x"), 0xC3];

        var error = AssertRejected(CreateSut().Validate(bytes), ScriptErrorCode.InvalidUtf8, line: 1, column: 2);

        Assert.Contains("byte offset 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EncodedSurrogateBytes_AreRejected()
    {
        byte[] bytes = [.. Utf8("const s = '"), 0xED, 0xA0, 0x80, .. Utf8("';")];

        AssertRejected(CreateSut().Validate(bytes), ScriptErrorCode.InvalidUtf8, line: 1, column: 12);
    }

    // Lone surrogates cannot live in attribute arguments (stored as UTF-8), so '§' stands in for one.
    [Theory]
    [InlineData("const s = '§';", 0xD83D, 1, 12)]
    [InlineData("const a = 1;\nconst s = '§x';", 0xDE00, 2, 12)]
    [InlineData("const s = 'ok';§", 0xD83D, 1, 16)]
    public void Validate_LoneSurrogate_IsRejectedAsInvalidUtf8(string template, int surrogate, int line, int column)
    {
        var source = template.Replace('§', (char)surrogate);

        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.InvalidUtf8, line, column);

        Assert.Equal("The script holds text that is not valid UTF-8.", error.Message);
    }

    [Fact]
    public void Validate_SurrogatePairAndReplacementCharacter_AreAccepted()
    {
        var script = AssertValid(CreateSut().Validate("return '\uD83D\uDE00 \uFFFD';"));

        Assert.Equal(Encoding.UTF8.GetByteCount(script.Source), script.SizeBytes);
    }

    [Fact]
    public void Validate_ExactlyAtLimitWithMultiByteCharacters_IsAccepted()
    {
        var source = MultiByteScriptOfSize(64);

        var script = AssertValid(CreateSut(new() { MaxScriptBytes = 64 }).Validate(source));

        Assert.Equal(64, script.SizeBytes);
    }

    [Fact]
    public void Validate_OneByteOverLimit_IsRejectedWithSizeAndLimit()
    {
        var source = MultiByteScriptOfSize(65);

        var error = AssertRejected(CreateSut(new() { MaxScriptBytes = 64 }).Validate(source), ScriptErrorCode.ScriptTooLarge);

        Assert.True(source.Length < 64, "the limit counts UTF-8 bytes, not characters");
        Assert.Contains("65 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("limit of 64 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Utf8OneByteOverLimit_IsRejected_AndAtLimitAccepted()
    {
        var sut = CreateSut(new() { MaxScriptBytes = 64 });

        AssertValid(sut.Validate(Utf8(MultiByteScriptOfSize(64))));
        AssertRejected(sut.Validate(Utf8(MultiByteScriptOfSize(65))), ScriptErrorCode.ScriptTooLarge);
    }

    [Fact]
    public void Validate_DefaultLimit_Is20KiB()
    {
        var sut = CreateSut();

        AssertValid(sut.Validate(MultiByteScriptOfSize(20 * 1024)));
        AssertRejected(sut.Validate(MultiByteScriptOfSize((20 * 1024) + 1)), ScriptErrorCode.ScriptTooLarge);
    }

    [Fact]
    public void Validate_BomDoesNotCountTowardsTheLimit()
    {
        var source = "\uFEFF" + MultiByteScriptOfSize(64);

        AssertValid(CreateSut(new() { MaxScriptBytes = 64 }).Validate(source));
    }

    [Fact]
    public void Validate_Hash_IsLowerCaseHexSha256OfUtf8Source()
    {
        const string source = "return 'héllo';";
        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source))).ToLowerInvariant();

        var script = AssertValid(CreateSut().Validate(source));

        Assert.Equal(expected, script.Sha256);
        Assert.Matches("^[0-9a-f]{64}$", script.Sha256);
    }

    [Fact]
    public void Validate_Hash_IsStableAcrossCallsAndInputForms()
    {
        var sut = CreateSut();
        var source = "return '" + new string('é', 2000) + "';"; // large enough to use the pooled buffer

        var first = AssertValid(sut.Validate(source));
        var again = AssertValid(sut.Validate(source));
        var fromBytes = AssertValid(sut.Validate(Utf8(source)));
        var other = AssertValid(sut.Validate(source + " "));

        Assert.Equal(first.Sha256, again.Sha256);
        Assert.Equal(first.Sha256, fromBytes.Sha256);
        Assert.Equal(first.SizeBytes, fromBytes.SizeBytes);
        Assert.NotEqual(first.Sha256, other.Sha256);
    }

    [Fact]
    public void InvalidUtf8Error_ReportsThePositionOfTheBadCharacter()
    {
        var error = ScriptValidator.InvalidUtf8Error("a();\r\nb('\uFFFD');", 9);

        Assert.Equal(ScriptErrorCode.InvalidUtf8, error.Code);
        Assert.Equal((2, 4), (error.Line, error.Column));
    }

    // "//" then 'é' (2 bytes) as often as fits, padded with one ASCII space if needed.
    private static string MultiByteScriptOfSize(int bytes)
    {
        var pairs = (bytes - 2) / 2;
        var source = "//" + new string('é', pairs) + new string(' ', bytes - 2 - (pairs * 2));
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(source));
        return source;
    }
}
