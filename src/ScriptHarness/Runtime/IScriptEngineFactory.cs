namespace ScriptHarness.Runtime;

/// <summary>
/// An engine: a factory of sandboxes plus what it can enforce. The one seam between the harness and an engine; layers
/// (process isolation, telemetry) wrap it through <see cref="DelegatingScriptEngineFactory"/>.
/// </summary>
public interface IScriptEngineFactory
{
    /// <summary>The engine's name in configuration, lower case: <c>jint</c>, <c>v8</c>.</summary>
    string Name { get; }

    /// <summary>The limits the engine enforces natively.</summary>
    EngineCapabilities Capabilities { get; }

    /// <summary>
    /// Creates a fresh sandbox for one script. The script's limits travel with it
    /// (<see cref="Context.ScriptContext.Limits"/> of the script given to <see cref="IScriptSandbox.RunAsync"/>).
    /// </summary>
    ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks for an object of type <paramref name="serviceType"/> from this engine or, through wrappers, an engine it
    /// wraps (its options, statistics, the concrete factory); null when there is none. Like
    /// <c>IChatClient.GetService</c> in Microsoft.Extensions.AI.
    /// </summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key to tell apart objects of the same type; none is returned for a key this engine does not know.</param>
    object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }
}
