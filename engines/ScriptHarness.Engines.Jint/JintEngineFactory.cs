using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>
/// The default engine: Jint, a fully managed interpreter. Enforces time, memory (an allocation budget), call
/// depth, regex time and array length natively; nothing native can take the host process down. Scripts run on
/// dedicated sandbox threads with large stacks (<see cref="JintEngineOptions.MaxThreads"/> per nesting depth);
/// disposing the factory stops them.
/// </summary>
public sealed class JintEngineFactory : IScriptEngineFactory, IDisposable
{
    private readonly NestingDepthPools<DedicatedThreadPool<JintThread>> _threads;
    private readonly JintEngineOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the engine with <paramref name="options"/> (defaults when null).</summary>
    /// <param name="options">The engine's options.</param>
    /// <param name="time">The clock of script deadlines and the watchdog (the system clock when null).</param>
    /// <exception cref="ConfigurationException">The options are invalid; every problem is listed at once.</exception>
    public JintEngineFactory(JintEngineOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new JintEngineOptions();
        if (_options.Validate() is { Count: > 0 } problems)
        {
            throw new ConfigurationException(problems);
        }

        _time = time ?? TimeProvider.System;
        _threads = new(JintThread.Pool(_options, nested: false), () => JintThread.Pool(_options, nested: true));
    }

    /// <summary>The sandbox threads of every nesting depth: for tests.</summary>
    internal NestingDepthPools<DedicatedThreadPool<JintThread>> Threads => _threads;

    /// <summary>The configuration name of this engine.</summary>
    public const string EngineName = KnownEngines.Jint;

    /// <inheritdoc />
    public string Name => EngineName;

    /// <inheritdoc />
    public EngineCapabilities Capabilities =>
        EngineCapabilities.InterruptsLoops | EngineCapabilities.MemoryLimit | EngineCapabilities.RecursionLimit
        | EngineCapabilities.RegexTimeout | EngineCapabilities.MaxArrayLength | EngineCapabilities.Managed
        | EngineCapabilities.ExactMemoryLimit | EngineCapabilities.RecursionLimitOnEveryRoute;

    /// <inheritdoc />
    public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IScriptSandbox>(new JintSandbox(_threads, _options, _time));

    /// <summary>
    /// Stops the sandbox threads: scripts still waiting for one fail with <c>cancelled</c>, running ones finish first
    /// (this waits for them, except a thread already given up as stuck).
    /// </summary>
    public void Dispose()
    {
        foreach (var pool in _threads.Made)
        {
            pool.Dispose();
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType == typeof(JintEngineOptions) ? _options
            : null;
    }
}
