namespace ScriptHarness.Engines.V8;

/// <summary>
/// The V8 runtimes of one nesting depth: dedicated threads (<see cref="DedicatedThreadPool{TOwned}"/>) each owning a
/// runtime and its warm engines (<see cref="V8Worker"/>), and what they share — the code cache, and the memory limit
/// warm engines are prepared for. Runtimes are added on demand up to <see cref="V8EngineOptions.MaxRuntimes"/>, trimmed
/// after <see cref="V8EngineOptions.IdleTrimAfter"/>, and replaced when retired or stuck.
/// </summary>
/// <remarks>
/// Preparing an engine is one uninterruptible step of ~0.3 ms, and a runtime can do one thing at a time: a script
/// handed to a runtime that is preparing waits for that step to end. So the next script prefers another idle runtime
/// with a warm engine (the pool's ready-first placement), and sequential scripts alternate between runtimes while each
/// prepares its next engine in the other's shadow.
/// </remarks>
internal sealed class V8RuntimePool : IDisposable
{
    private readonly DedicatedThreadPool<V8Worker> _threads;
    private int _runtimesCreated;
    private int _runtimesDisposed;
    private int _warmEngines;
    private V8ScriptShape? _lastShape;

    /// <param name="options">The engine's settings.</param>
    /// <param name="code">The code cache to share with other pools; a new one when null.</param>
    /// <param name="keepLast">Whether the last runtime stays when idle (warm for the next script), or leaves like the others.</param>
    public V8RuntimePool(V8EngineOptions options, V8CodeCache? code = null, bool keepLast = true)
    {
        Code = code ?? new V8CodeCache(options.ScriptCacheSize);
        _threads = new DedicatedThreadPool<V8Worker>(
            new DedicatedThreadPoolOptions
            {
                MaxThreads = options.MaxRuntimes,
                StackBytes = options.ThreadStackBytes,
                ThreadName = "ScriptHarness.V8",
                IdleTimeout = options.IdleTrimAfter,
                KeepLastThread = keepLast,
            },
            () => new V8Worker(this, options));
    }

    /// <summary>Code-cache bytes shared by the runtimes, and the script cache's hit counts.</summary>
    public V8CodeCache Code { get; }

    /// <summary>The memory limit of the scripts last seen: warm engines are prepared on runtimes sized for it.</summary>
    public long LastMemoryBytes { get; set; } = Runtime.ScriptLimits.Default.MemoryBytes;

    /// <summary>
    /// The tool names and context of the script last started: warm engines prepare its <c>tools</c> and its context's
    /// shapes ahead, for the next script that has the same (the usual case: one host, one tool registry).
    /// </summary>
    public V8ScriptShape? LastShape
    {
        get => Volatile.Read(ref _lastShape);
        set => Volatile.Write(ref _lastShape, value);
    }

    /// <summary>Threads (each with at most one runtime) alive.</summary>
    public int ThreadCount => _threads.ThreadCount;

    /// <summary>V8 runtimes created so far (for tests: a retired runtime is replaced by a new one).</summary>
    public int RuntimesCreated => Volatile.Read(ref _runtimesCreated);

    /// <summary>V8 runtimes disposed so far.</summary>
    public int RuntimesDisposed => Volatile.Read(ref _runtimesDisposed);

    /// <summary>Warm engines ready across all runtimes.</summary>
    public int WarmEngineCount => Volatile.Read(ref _warmEngines);

    public void Schedule(V8ScriptWork work) => _threads.Schedule(work);

    /// <summary>The runtime running <paramref name="work"/> is stuck: the pool replaces it, and it leaves if it ever comes back.</summary>
    public void WriteOff(V8ScriptWork work) => _threads.WriteOff(work);

    public void Dispose() => _threads.Dispose();

    internal void CountCreated() => Interlocked.Increment(ref _runtimesCreated);

    internal void CountDisposed() => Interlocked.Increment(ref _runtimesDisposed);

    internal void CountWarm(int delta) => Interlocked.Add(ref _warmEngines, delta);
}
