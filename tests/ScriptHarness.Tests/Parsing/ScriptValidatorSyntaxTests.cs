using static ScriptHarness.Tests.Parsing.ScriptValidatorTestHelpers;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptValidatorSyntaxTests
{
    [Fact]
    public void Validate_SyntaxErrorOnLineOne_ReportsScriptColumnNotWrapperColumn()
    {
        var error = AssertRejected(CreateSut().Validate("let a = 1 2;"), ScriptErrorCode.SyntaxError, line: 1, column: 11);

        Assert.Equal("Unexpected number", error.Message);
    }

    [Fact]
    public void Validate_SyntaxErrorOnLineThree_ReportsLineAndColumn()
    {
        const string source = "const a = 1;\nconst b = 2;\n  a b;";

        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.SyntaxError, line: 3, column: 5);

        Assert.Equal("Unexpected identifier 'b'", error.Message);
    }

    [Fact]
    public void Validate_SyntaxErrorAfterCrLfLines_CountsEachCrLfOnce()
    {
        AssertRejected(CreateSut().Validate("a();\r\nb();\r\n)"), ScriptErrorCode.SyntaxError, line: 3, column: 1);
    }

    [Fact]
    public void Validate_SyntaxErrorMessage_HoldsNoWrapperOrHostDetails()
    {
        var error = AssertRejected(CreateSut().Validate("const = 1;"), ScriptErrorCode.SyntaxError);

        Assert.DoesNotMatch(@"\(\d+:\d+\)", error.Message);
        Assert.DoesNotContain("async function", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Stack);
    }

    [Theory]
    [InlineData("if (ready) {\n  go();", 2, 8)]
    [InlineData("call(1, 2", 1, 10)]
    [InlineData("const s = `open", 1, 16)]
    [InlineData("done();\n}", 2, 2)]
    public void Validate_ScriptEndingTooEarly_ReportsEndOfScriptNotTheWrapper(string source, int line, int column)
    {
        // The parser fails on the wrapper's closing text; the error points at the script's end instead.
        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.SyntaxError, line, column);

        Assert.StartsWith("Unexpected end of script", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // Each closes the script's function and the wrapper's, writes code outside, and reopens both so the suffix closes them.
    [InlineData("} }); evil(); (function () { async function $script() {")]
    [InlineData("} }) || (function () { async function $script() {")]
    [InlineData("} })(); (function () { async function $script() {")]
    [InlineData("x();\n} evil(); async function $script() {")]
    [InlineData("} return evil(); async function $script() {")]
    [InlineData("} }); (function () { async function $script() {")]
    public void Validate_SourceThatClosesTheWrapper_IsRejected(string source)
    {
        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.SyntaxError);

        Assert.Equal("The block must be a function body; it closes the wrapper.", error.Message);
    }

    [Fact]
    public void Validate_SourceThatClosesTheWrapper_PointsAtTheClosingBrace()
    {
        AssertRejected(CreateSut().Validate("x();\n  } }); evil(); (function () { async function $script() {"), ScriptErrorCode.SyntaxError, line: 2, column: 3);
    }

    [Fact]
    public void Validate_SourceThatClosesTheWrapperWithItsFirstCharacter_PointsAtIt()
    {
        AssertRejected(CreateSut().Validate("} }); evil(); (function () { async function $script() {"), ScriptErrorCode.SyntaxError, line: 1, column: 1);
    }

    [Theory]
    [InlineData("return 1 // trailing comment")]
    [InlineData("return 1 /* block */")]
    [InlineData("'use strict';\nreturn 1;")]
    [InlineData("label: for (;;) { break label; }")]
    [InlineData("return { a: (() => 1)() };")]
    [InlineData("return new.target;")]
    [InlineData("for await (const x of []) {}")]
    public void Validate_OrdinaryFunctionBodies_AreAccepted(string source)
    {
        AssertValid(CreateSut().Validate(source));
    }

    [Theory]
    [InlineData("import x from 'y';")]
    [InlineData("export const a = 1;")]
    [InlineData("#!/usr/bin/env node\nreturn 1;")]
    public void Validate_ModuleOrFileOnlySyntax_IsASyntaxError(string source)
    {
        AssertRejected(CreateSut().Validate(source), ScriptErrorCode.SyntaxError, line: 1, column: 1);
    }

    [Fact]
    public void Validate_NestingTooDeepForTheParser_IsASyntaxErrorNotACrash()
    {
        var source = new string('(', 9_000) + "1" + new string(')', 9_000);

        var error = AssertRejected(ValidateOnSmallStack(source), ScriptErrorCode.SyntaxError);

        Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("const r = /\\99999999999/;\nreturn r.test('9');")]
    [InlineData("return /(a)\\2147483648/.source;")]
    [InlineData("T=/99h\\99h\\9999999999ah/(,1\")9")] // the fuzzer's first finding (fuzz/corpus/validator/crash-*)
    public void Validate_RegExpEscapeNumberTooLargeForTheParser_IsASyntaxErrorNotAHarnessError(string source)
    {
        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.SyntaxError);

        Assert.Contains("number the parser cannot read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongOperatorChain_IsAcceptedOnASmallStack()
    {
        // A left-deep tree the parser builds iteratively; the identifier scan must not recurse over it.
        var source = "return " + string.Concat(Enumerable.Repeat("a+", 9_000)) + "1;";

        AssertValid(ValidateOnSmallStack(source));
    }
}
