using ScriptHarness.Runtime;

namespace ScriptHarness.Conformance.Running;

/// <summary>An engine column of the conformance report: an engine to run, or one that cannot be had here, with the reason.</summary>
public sealed record ConformanceEngine
{
    private ConformanceEngine(string name, IScriptEngineFactory? factory, string? unavailableReason)
    {
        Name = name;
        Factory = factory;
        UnavailableReason = unavailableReason;
    }

    /// <summary>The column's name, e.g. <c>jint</c>, or <c>v8 (process)</c> for one isolation mode of an engine.</summary>
    public string Name { get; }

    /// <summary>The engine, when available.</summary>
    public IScriptEngineFactory? Factory { get; }

    /// <summary>Why the engine cannot run here (every scenario is skipped with it), or null.</summary>
    public string? UnavailableReason { get; }

    /// <summary>An engine that runs the scenarios, in a column named <paramref name="name"/> (the engine's name when null).</summary>
    public static ConformanceEngine Available(IScriptEngineFactory factory, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }

        return new(name ?? factory.Name, factory, null);
    }

    /// <summary>An engine that cannot run here; its column shows every scenario skipped with <paramref name="reason"/>.</summary>
    public static ConformanceEngine Unavailable(string name, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(name, null, reason);
    }
}
