namespace ScriptHarness.Runtime;

/// <summary>Typed helpers over <see cref="IScriptEngineFactory.GetService"/>.</summary>
public static class ScriptEngineFactoryExtensions
{
    /// <summary>Asks <paramref name="engine"/> (or an engine it wraps) for a <typeparamref name="TService"/>; null when there is none.</summary>
    public static TService? GetService<TService>(this IScriptEngineFactory engine, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }
}
