using Microsoft.Extensions.Options;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Hosting;

/// <summary>Validates bound options once, reporting every problem together.</summary>
internal sealed class ScriptHarnessOptionsValidator : IValidateOptions<ScriptHarnessOptions>
{
    public ValidateOptionsResult Validate(string? name, ScriptHarnessOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
