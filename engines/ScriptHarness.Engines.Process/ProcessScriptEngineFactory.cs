using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process;

/// <summary>
/// An engine in Process isolation: the engine an inner factory describes (by its name: <c>jint</c> or
/// <c>v8</c>) runs in a pool of worker processes, and the host talks to them in length-prefixed MessagePack frames over
/// their stdio. Tools, approvals, budgets and call tracking stay in the host; the worker never sees a .NET tool.
/// Whatever a script does to its engine — a fatal V8 out-of-memory, a runaway native operation, a hang that ignores
/// cancellation — ends that script with a typed error (<c>engine_crashed</c>, <c>timeout</c>, <c>memory_limit</c>),
/// never the host, and the next script runs on a fresh worker.
/// </summary>
/// <remarks>
/// The inner factory answers for the name, capabilities and services (its options); it runs nothing here, so an
/// in-process V8 engine given as the description never loads V8 into the host. Built on the public engine contract only.
/// </remarks>
public sealed class ProcessScriptEngineFactory : DelegatingScriptEngineFactory, IAsyncDisposable
{
    private readonly WorkerPool _pool;

    /// <summary>Runs the engine <paramref name="innerFactory"/> describes in worker processes.</summary>
    /// <param name="innerFactory">The engine the workers host (<c>jint</c> or <c>v8</c>), with its capabilities.</param>
    /// <param name="options">Pool and hard-limit settings (defaults when null).</param>
    /// <param name="expectedMemoryBytes">The memory limit scripts will mostly run under: prestarted workers are made for it.</param>
    /// <param name="time">The clock of the host-side deadlines and idle trimming (the system clock when null).</param>
    /// <exception cref="ConfigurationException">The options are invalid, or the worker is not where the build puts it.</exception>
    public ProcessScriptEngineFactory(IScriptEngineFactory innerFactory, ProcessIsolationOptions? options = null, long? expectedMemoryBytes = null,
        TimeProvider? time = null)
        : base(innerFactory)
    {
        Options = options ?? new ProcessIsolationOptions();
        var problems = Options.Validate().ToList();
        if (innerFactory.Name is not ("jint" or "v8"))
        {
            problems.Add($"ProcessIsolation: the worker hosts jint or v8, not '{innerFactory.Name}'");
        }

        if (innerFactory.Capabilities.HasFlag(EngineCapabilities.ProcessIsolated))
        {
            problems.Add($"ProcessIsolation: engine '{innerFactory.Name}' already runs in worker processes");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        _ = WorkerLocator.Locate(Options.WorkerPath);
        _pool = new WorkerPool(innerFactory.Name, Options, expectedMemoryBytes ?? ScriptLimits.Default.MemoryBytes, time ?? TimeProvider.System);
        _pool.Prestart();
    }

    /// <summary>The pool and hard-limit settings in force.</summary>
    public ProcessIsolationOptions Options { get; }

    /// <summary>The workers: for tests.</summary>
    internal WorkerPool Pool => _pool;

    /// <inheritdoc />
    /// <remarks>The inner engine's, plus <see cref="EngineCapabilities.ProcessIsolated"/>.</remarks>
    public override EngineCapabilities Capabilities => InnerFactory.Capabilities | EngineCapabilities.ProcessIsolated;

    /// <inheritdoc />
    public override ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IScriptSandbox>(new ProcessSandbox(_pool, Name));

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ProcessIsolationOptions) ? Options : base.GetService(serviceType, serviceKey);
    }

    /// <summary>Stops the idle workers; busy ones stop when their script ends.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
