using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>
/// The V8 engine, through Microsoft.ClearScript.V8: JIT-compiled JavaScript on V8 runtimes kept in a bounded pool,
/// one script per runtime at a time, each on a fresh context prepared ahead
/// (<see cref="V8EngineOptions.WarmEnginesPerRuntime"/>). Enforces time (interrupts), memory (a sampled heap limit plus
/// an ArrayBuffer cap) and stack depth natively. Native: it runs in this process, on linux-x64.
/// </summary>
/// <remarks>
/// The first sandbox sets V8's process-wide flags (<c>--disallow-code-generation-from-strings</c>, a linear-time
/// fallback for runaway regular expressions, and two garbage-collection settings suited to a context per script);
/// every engine checks that strings cannot be compiled before it runs. A script's outcome completes on its runtime's
/// thread: a caller must not block that continuation waiting synchronously for another V8 script. Disposing the
/// factory disposes the runtimes and ends their threads.
/// </remarks>
public sealed class V8EngineFactory : IScriptEngineFactory, IDisposable
{
    private readonly NestingDepthPools<V8RuntimePool> _levels;
    private readonly V8EngineOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the engine with <paramref name="options"/> (defaults when null). Nothing native is loaded until the first run.</summary>
    /// <param name="options">The engine's options.</param>
    /// <param name="time">The clock of script deadlines and the watchdog (the system clock when null).</param>
    /// <exception cref="ConfigurationException">The options are invalid; every problem is listed at once.</exception>
    public V8EngineFactory(V8EngineOptions? options = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _options = options ?? new V8EngineOptions();
        if (_options.Validate() is { Count: > 0 } problems)
        {
            throw new ConfigurationException(problems);
        }

        // Pools of nested depths share the top one's code cache, and keep no runtime once idle for the trim period.
        var top = new V8RuntimePool(_options);
        _levels = new(top, () => new V8RuntimePool(_options, top.Code, keepLast: false));
    }

    /// <summary>The runtimes (and their threads) of scripts the host runs: for tests.</summary>
    internal V8RuntimePool Pool => _levels.Top;

    /// <summary>The runtimes of every nesting depth: for tests.</summary>
    internal NestingDepthPools<V8RuntimePool> Levels => _levels;

    /// <summary>The configuration name of this engine.</summary>
    public const string EngineName = KnownEngines.V8;

    /// <inheritdoc />
    public string Name => EngineName;

    /// <inheritdoc />
    public EngineCapabilities Capabilities =>
        EngineCapabilities.InterruptsLoops | EngineCapabilities.MemoryLimit | EngineCapabilities.RecursionLimit
        | EngineCapabilities.RecursionLimitOnEveryRoute;

    /// <inheritdoc />
    public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IScriptSandbox>(new V8Sandbox(_levels, _options, _time));

    /// <summary>
    /// Disposes the runtimes and ends their threads: scripts still waiting for one fail with <c>cancelled</c>, running
    /// ones finish first (this waits for them, except a runtime already given up as stuck).
    /// </summary>
    public void Dispose()
    {
        foreach (var pool in _levels.Made)
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
            : serviceType == typeof(V8EngineOptions) ? _options
            : null;
    }
}
