using Microsoft.Extensions.AI;
using ScriptHarness.AI.Tools;
using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tests.Tools;

public sealed class AIFunctionToolsTests
{
    [Fact]
    public async Task Function_CalledFromScript_GetsArgumentsAndReturnsItsResult()
    {
        using var harness = Harnesses.Create(Harnesses.Add, Harnesses.Weather);

        var outcome = await Harnesses.RunOneAsync(harness, "const s = await tools.app.add({ a: 2, b: 3 }); const w = await tools.app.get_weather({ city: 'Oslo' }); return [s, w];");

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("""[5,{"city":"Oslo","celsius":21.5}]""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task FunctionSchema_WrongArguments_FailValidationBeforeTheFunctionRuns()
    {
        using var harness = Harnesses.Create(Harnesses.Add);

        var outcome = await Harnesses.RunOneAsync(harness, "return await tools.app.add({ a: 'two', b: 3 });");

        Assert.Equal(ScriptErrorCode.ToolValidationFailed, outcome.Error!.Code);
    }

    [Fact]
    public void Declarations_UseTheArgumentSchema_AndTheReturnSchemaForATypedPromise()
    {
        var registry = new ToolRegistry(new[] { Harnesses.Add, Harnesses.Weather }.ToToolSet("app").Tools);

        var declarations = TypeScriptDeclarations.Generate(registry);

        Assert.Contains("add(args: { a: number; b: number }): Promise<number>;", declarations, StringComparison.Ordinal);
        Assert.Contains("get_weather(args: { city: string }): Promise<{ city: string; celsius: number }>;", declarations, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionWithoutReturnSchema_IsDeclaredAsPromiseOfUnknown()
    {
        var function = new SchemaOnlyFunction("lookup");
        var tool = function.ToToolDefinition("db");

        Assert.Null(tool.ResultSchema);
        Assert.Matches(@"lookup\(args\??: [^)]*\): Promise<unknown>;", TypeScriptDeclarations.Generate(new ToolRegistry([tool])));
    }

    [Fact]
    public void ApprovalRequiredFunction_RequiresApprovalPerCall_EvenWhenWrapped()
    {
        var tools = new[] { Harnesses.DeleteFile, Harnesses.Add }.ToToolSet("fs").Tools;

        Assert.True(tools.Single(t => t.ShortName == "delete_file").RequiresApproval);
        Assert.False(tools.Single(t => t.ShortName == "add").RequiresApproval);
    }

    [Fact]
    public async Task ApprovalRequiredFunction_Denied_TheFunctionNeverRuns()
    {
        using var harness = Harnesses.Create([new[] { Harnesses.DeleteFile }.ToToolSet("fs")], FixedApprovalService.DenyAllWith("not today"));

        var outcome = await Harnesses.RunOneAsync(harness, "return await tools.fs.delete_file({ path: 'never.txt' });");

        Assert.Equal(ScriptErrorCode.ApprovalDenied, outcome.Error!.Code);
        Assert.Contains("not today", outcome.Error.Message, StringComparison.Ordinal);
        lock (Harnesses.Deleted)
        {
            Assert.DoesNotContain("never.txt", Harnesses.Deleted);
        }
    }

    [Theory]
    [InlineData("get-weather", "get_weather")]
    [InlineData("files.read", "files_read")]
    [InlineData("2fa code", "_2fa_code")]
    [InlineData("ok_name", "ok_name")]
    public void Sanitize_MakesJavaScriptIdentifiers(string name, string expected) =>
        Assert.Equal(expected, ToolNames.Sanitize(name));

    [Fact]
    public void NamesThatSanitizeAlike_AreRefusedAtRegistration_NamingBoth()
    {
        var functions = new[] { AIFunctionFactory.Create(() => 1, "read-file"), AIFunctionFactory.Create(() => 2, "read.file") };

        var error = Assert.Throws<ConfigurationException>(() => functions.ToToolSet("fs"));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("'read-file' and 'read.file' would both be tools.fs.read_file", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NamespaceIsSanitizedToo() =>
        Assert.Equal("my_server.add", new[] { Harnesses.Add }.ToToolSet("my-server").Tools[0].Name);

    private sealed class SchemaOnlyFunction(string name) : AIFunction
    {
        public override string Name => name;

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult<object?>(null);
    }
}
