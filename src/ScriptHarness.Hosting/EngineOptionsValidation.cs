using Microsoft.Extensions.Options;
using ScriptHarness.Runtime;

namespace ScriptHarness.Hosting;

/// <summary>
/// Validates the options of any engine (<see cref="IEngineOptions"/>) with the options' own
/// <see cref="IEngineOptions.Validate"/>, so <c>IOptions&lt;JintEngineOptions&gt;</c> and the like never hand out invalid
/// settings: reading them throws one <see cref="OptionsValidationException"/> listing every problem. Registered for every
/// options type, because the hosting layer cannot know the engines' types; for any other type it skips. At a host's start
/// the harness's own validation (<see cref="ScriptHarnessValidation"/>) builds every registered engine, so these problems
/// join the others in one <see cref="ConfigurationException"/>.
/// </summary>
internal sealed class EngineOptionsValidation<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        options is not IEngineOptions engine ? ValidateOptionsResult.Skip
        : engine.Validate() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems)
        : ValidateOptionsResult.Success;
}
