namespace ScriptHarness.Runtime;

/// <summary>
/// An engine that passes every call on to an inner engine: the base of layers around an engine (process isolation,
/// telemetry, admission) that change one thing and keep the rest, like <c>DelegatingChatClient</c> in
/// Microsoft.Extensions.AI. Override what the layer changes.
/// </summary>
public abstract class DelegatingScriptEngineFactory : IScriptEngineFactory
{
    /// <summary>Wraps <paramref name="innerFactory"/>.</summary>
    protected DelegatingScriptEngineFactory(IScriptEngineFactory innerFactory)
    {
        ArgumentNullException.ThrowIfNull(innerFactory);
        InnerFactory = innerFactory;
    }

    /// <summary>The engine this one wraps.</summary>
    protected IScriptEngineFactory InnerFactory { get; }

    /// <inheritdoc />
    public virtual string Name => InnerFactory.Name;

    /// <inheritdoc />
    public virtual EngineCapabilities Capabilities => InnerFactory.Capabilities;

    /// <inheritdoc />
    public virtual ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
        InnerFactory.CreateAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>This layer itself when it is of <paramref name="serviceType"/> and no key is given; otherwise the inner engine's answer.</remarks>
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerFactory.GetService(serviceType, serviceKey);
    }
}
