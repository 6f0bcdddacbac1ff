namespace ScriptHarness.Runtime;

/// <summary>
/// The settings of one engine, checked the way every ScriptHarness options type is: <see cref="Validate"/> returns
/// every problem at once, and whoever starts the engine throws one <see cref="ConfigurationException"/> listing them.
/// Under dependency injection (ScriptHarness.Hosting) the options of an engine bind from the configuration section
/// <c>Engines:{EngineName}</c>, e.g. <c>Engines:Jint</c>, and are checked when the host starts.
/// </summary>
public interface IEngineOptions
{
    /// <summary>The engine these options belong to, as it is named in configuration (e.g. <c>jint</c>).</summary>
    string EngineName { get; }

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    IReadOnlyList<string> Validate();
}
