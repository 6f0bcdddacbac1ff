using ScriptHarness.Parsing;

namespace ScriptHarness.Tests.Parsing;

public sealed class ScriptValidatorOptionsTests
{
    [Fact]
    public void Default_IsValidWithDocumentedValues()
    {
        var options = ScriptValidatorOptions.Default;

        Assert.Empty(options.Validate());
        Assert.Equal(20 * 1024, options.MaxScriptBytes);
        Assert.Equal(
            ["Bun", "Deno", "EngineInternal", "Function", "SharedWorker", "WebAssembly", "Worker", "eval", "importScripts", "process", "require"],
            options.BannedIdentifiers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new ScriptValidatorOptions
        {
            MaxScriptBytes = 0,
            BannedIdentifiers = new HashSet<string>(StringComparer.Ordinal) { "constructor", "eval()", "ok" },
        };

        var ex = Assert.Throws<ConfigurationException>(() => new ScriptValidator(options));

        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("MaxScriptBytes", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'constructor'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'eval()'", StringComparison.Ordinal));
    }
}
