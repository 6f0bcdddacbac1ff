using ScriptHarness.Parsing;
using static ScriptHarness.Tests.Parsing.ScriptValidatorTestHelpers;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptValidatorBannedIdentifierTests
{
    [Theory]
    [InlineData("const s = 'eval(1)'; return s;")]
    [InlineData("// eval('x')\nreturn 1;")]
    [InlineData("/* require('fs'); process.exit() */ return 1;")]
    [InlineData("return `eval ${1} process`;")]
    [InlineData("return /eval\\(|require/.test('x');")]
    public void Validate_BannedWordOutsideCode_IsAccepted(string source)
    {
        AssertValid(CreateSut().Validate(source));
    }

    [Theory]
    [InlineData("const obj = {}; obj.eval; obj.process?.env;")]
    [InlineData("const o = { process: 1, eval() {}, get require() { return 1; }, 'Function': 2 };")]
    [InlineData("class A { constructor() {} eval() {} static process = 1; #require = 2; }")]
    [InlineData("function Foo() {}\nFoo.prototype.x = 1;")]
    [InlineData("const o = { __proto__: null }; return [constructor, prototype, __proto__];")]
    [InlineData("const process = (x) => x; process(1);")]
    [InlineData("function f(require) { return require('x'); }")]
    [InlineData("try { x(); } catch (process) { process.exit(); }")]
    [InlineData("const { a: process } = obj; process();")]
    [InlineData("const [Worker = 1] = []; new Worker();")]
    [InlineData("class Bun {} new Bun();")]
    [InlineData("process: for (;;) { break process; }")]
    [InlineData("const o = {}; return o['eval'];")]
    [InlineData("process();\nfunction process() {}")]
    [InlineData("const process = 1, Deno = 2; return process + Deno;")]
    public void Validate_BannedWordThatIsNotAGlobalReference_IsAccepted(string source)
    {
        AssertValid(CreateSut().Validate(source));
    }

    [Theory]
    [InlineData("eval('1')", "eval", 1, 1)]
    [InlineData("const f = new Function('return 1');", "Function", 1, 15)]
    [InlineData("const fs = require('fs');", "require", 1, 12)]
    [InlineData("const m = await import('x');", "import()", 1, 17)]
    [InlineData("return import.meta.url;", "import.meta", 1, 8)]
    [InlineData("\\u0065val('1')", "eval", 1, 1)]
    [InlineData("const env = process.env;", "process", 1, 13)]
    [InlineData("const a = 1;\nconst b = 2;\n  return eval(a);", "eval", 3, 10)]
    [InlineData("const o = { eval };", "eval", 1, 13)]
    [InlineData("const o = { [require]: 1 };", "require", 1, 14)]
    [InlineData("function f(a = eval) {}", "eval", 1, 16)]
    [InlineData("class A extends Function {}", "Function", 1, 17)]
    [InlineData("const w = globalThis.Worker ?? Worker;", "Worker", 1, 32)]
    [InlineData("[1].map(WebAssembly.compile);", "WebAssembly", 1, 9)]
    [InlineData("const o = { async f() { return await import('x'); } };", "import()", 1, 38)]
    [InlineData("({ process } = o);", "process", 1, 4)]
    [InlineData("const x = 1;\nconst y = Deno.env;", "Deno", 2, 11)]
    [InlineData("const o = {}; return o[Deno];", "Deno", 1, 24)]
    [InlineData("outer: Deno.exit();", "Deno", 1, 8)]
    [InlineData("class A { x = Deno; }", "Deno", 1, 15)]
    [InlineData("class A { [Deno] = 1; }", "Deno", 1, 12)]
    [InlineData("class A { [Deno]() {} }", "Deno", 1, 12)]
    [InlineData("try { f(); } catch (e) { Deno.exit(); }", "Deno", 1, 26)]
    [InlineData("process; Deno; const process = 1;", "Deno", 1, 10)]
    [InlineData("process; import((function (process) { return 'x'; })());", "import()", 1, 10)]
    [InlineData("process; import(process);", "process", 1, 1)]
    public void Validate_BannedGlobalReference_IsRejectedAtItsPosition(string source, string name, int line, int column)
    {
        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.BannedIdentifier, line, column);

        Assert.StartsWith($"`{name}` is not available in scripts: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval", "code cannot be built from strings at run time; write the logic directly in the script")]
    [InlineData("Function", "code cannot be built from strings at run time; write the logic directly in the script")]
    [InlineData("require", "scripts cannot load modules; call the host through the functions on `tools`")]
    [InlineData("importScripts", "scripts cannot load modules; call the host through the functions on `tools`")]
    [InlineData("import()", "scripts cannot load modules; call the host through the functions on `tools`")]
    [InlineData("import.meta", "scripts are not modules, so there is no module metadata")]
    [InlineData("process", "there is no host runtime; use `tools` and `context` to reach the host")]
    [InlineData("Deno", "there is no host runtime; use `tools` and `context` to reach the host")]
    [InlineData("Bun", "there is no host runtime; use `tools` and `context` to reach the host")]
    [InlineData("EngineInternal", "there is no host runtime; use `tools` and `context` to reach the host")]
    [InlineData("Worker", "scripts run on one thread; start several tool calls and `await Promise.all(...)` to run them concurrently")]
    [InlineData("SharedWorker", "scripts run on one thread; start several tool calls and `await Promise.all(...)` to run them concurrently")]
    [InlineData("WebAssembly", "WebAssembly is disabled in the sandbox")]
    [InlineData("fetch", "it is disabled in the sandbox")]
    public void BannedIdentifierMessage_NamesTheIdentifier_AndSaysWhatToDoInstead(string name, string hint)
    {
        Assert.Equal($"`{name}` is not available in scripts: {hint}.", BannedIdentifierMessages.For(name));
    }

    [Fact]
    public void Validate_SeveralBannedReferences_ReportsTheFirstInSourceOrder()
    {
        const string source = "const a = require('a');\nconst b = eval('b');\nimport('c');";

        var error = AssertRejected(CreateSut().Validate(source), ScriptErrorCode.BannedIdentifier, line: 1, column: 11);

        Assert.Contains("`require`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DeclaringImportAsAName_DoesNotAllowImportCalls()
    {
        AssertRejected(CreateSut().Validate("const x = 1;\nawait import('x');"), ScriptErrorCode.BannedIdentifier, line: 2, column: 7);
    }

    [Fact]
    public void Validate_CustomBannedIdentifiers_ReplaceTheDefaultsButImportStaysBanned()
    {
        var sut = CreateSut(new() { BannedIdentifiers = new HashSet<string>(StringComparer.Ordinal) { "fetch" } });

        AssertRejected(sut.Validate("await fetch('https://example.com');"), ScriptErrorCode.BannedIdentifier, line: 1, column: 7);
        AssertValid(sut.Validate("return eval('1');"));
        AssertRejected(sut.Validate("await import('x');"), ScriptErrorCode.BannedIdentifier);
    }

    [Fact]
    public void Validate_BannedIdentifierMessage_GivesAHint()
    {
        var error = AssertRejected(CreateSut().Validate("require('fs')"), ScriptErrorCode.BannedIdentifier);

        Assert.Contains("`tools`", error.Message, StringComparison.Ordinal);
    }
}
