using Microsoft.Extensions.Options;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Hosting;

/// <summary>
/// The validation of <see cref="ScriptHarnessOptions"/> under dependency injection, run by <c>ValidateOnStart</c> when a
/// host starts and by the first read of <c>IOptions&lt;ScriptHarnessOptions&gt;</c>: the whole harness setup is checked
/// (<see cref="ScriptHarnessSetup"/>): the options after every <c>Configure</c> (<see cref="ScriptHarnessOptions.Validate"/>),
/// the configuration keys, the engine and its own options, isolation and the tools, so one message lists every problem.
/// </summary>
/// <remarks>
/// Fails by throwing <see cref="ConfigurationException"/> rather than returning <see cref="ValidateOptionsResult.Fail(IEnumerable{string})"/>:
/// configuration problems are ScriptHarness's typed error everywhere else (code <c>invalid_configuration</c>, every problem in
/// <see cref="ConfigurationException.Problems"/>), and a host's start reports the exception of the first failing startup
/// validation as it is. A validator the host adds for the same type still runs when the harness's setup is valid.
/// </remarks>
internal sealed class ScriptHarnessValidation(ScriptHarnessSetup setup) : IValidateOptions<ScriptHarnessOptions>
{
    public ValidateOptionsResult Validate(string? name, ScriptHarnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != Options.DefaultName)
        {
            // AddScriptHarness binds and builds the unnamed options only; named ones are the host's own.
            return ValidateOptionsResult.Skip;
        }

        _ = setup.Verify(options);
        return ValidateOptionsResult.Success;
    }
}
