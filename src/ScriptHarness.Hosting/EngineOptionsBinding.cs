using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ScriptHarness.Runtime;

namespace ScriptHarness.Hosting;

/// <summary>
/// Binds the options of any engine (<see cref="IEngineOptions"/>) from <c>Engines:{EngineName}</c> of every
/// <c>AddScriptHarness</c> call's configuration, in registration order. Registered for every options type, because the
/// hosting layer cannot know the engines' types; for any other type it does nothing.
/// </summary>
internal sealed class EngineOptionsBinding<TOptions>(IEnumerable<ScriptHarnessRegistration> registrations) : IConfigureOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        if (options is not IEngineOptions engine)
        {
            return;
        }

        foreach (var configuration in registrations.Select(r => r.Configuration).OfType<IConfiguration>())
        {
            // Configuration keys are case-insensitive, so Engines:Jint and Engines:jint both reach the engine named jint.
            configuration.GetSection(ScriptHarnessConfiguration.EngineSection).GetSection(engine.EngineName).Bind(options);
        }
    }
}
