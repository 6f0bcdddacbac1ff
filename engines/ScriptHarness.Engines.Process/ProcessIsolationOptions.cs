namespace ScriptHarness.Engines.Process;

/// <summary>
/// Settings of process isolation: the pool of worker processes and the hard limits the host holds them to. The
/// per-script limits still come from <c>ScriptLimits</c>; the hard ones here are derived from them.
/// </summary>
public sealed record ProcessIsolationOptions
{
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private static readonly TimeSpan MaxGrace = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Workers kept running while idle (and started in the background when the engine is created). Default 1. Two let
    /// sequential scripts alternate between workers, each preparing its next fresh context while the other runs
    /// (about a quarter off a trivial script's time on V8), for a second process's memory.
    /// </summary>
    public int MinWorkers { get; init; } = 1;

    /// <summary>
    /// Workers at most, idle and busy together; scripts beyond wait their turn. Scripts of replies that tools run
    /// (<c>ScriptContext.NestingDepth</c>) may have as many busy again at each nesting depth, since their ancestors hold
    /// theirs while they wait. Default: processor count.
    /// </summary>
    public int MaxWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Scripts a worker runs before it is replaced by a fresh one. Default 10,000. Every script already gets a fresh
    /// context and a worker that grows is replaced by its size (<see cref="RecycleMemoryFactor"/>), so this only bounds
    /// what neither sees. A replacement is a process start and a cold runtime: at 500 scripts a worker, trivial scripts
    /// took 1.5–1.9 ms each against 0.97–1.37 ms without replacements (alternating runs on 2 cores).
    /// </summary>
    public int MaxScriptsPerWorker { get; init; } = 10_000;

    /// <summary>An idle worker beyond <see cref="MinWorkers"/> is stopped after this long. Default 30 s.</summary>
    public TimeSpan IdleTrimAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Resident memory of a worker with nothing in it (the .NET runtime, the engine, a warm runtime), in bytes: the base
    /// of the caps below. Default 256 MiB.
    /// </summary>
    public long WorkerBaseBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// The hard cap, as a multiple of <c>ScriptLimits.MemoryBytes</c> over <see cref="WorkerBaseBytes"/>: a worker whose
    /// resident memory passes <c>base + factor × limit</c> mid-script is killed (<c>engine_crashed</c>, out of memory).
    /// Default 4.
    /// </summary>
    public int HardMemoryFactor { get; init; } = 4;

    /// <summary>
    /// A worker whose resident memory is over <c>base + factor × limit</c> after a script is replaced instead of reused.
    /// Default 1.
    /// </summary>
    public int RecycleMemoryFactor { get; init; } = 1;

    /// <summary>
    /// V8 only: the worker's hard heap limit (<c>--max-old-space-size</c>) as a multiple of <c>ScriptLimits.MemoryBytes</c>,
    /// plus 32 MiB. Past it V8 aborts the worker. The sampled limit (<c>memory_limit</c>) normally stops a script first.
    /// Default 2.
    /// </summary>
    public int HeapLimitFactor { get; init; } = 2;

    /// <summary>
    /// How long past a script's deadline (or a host cancellation) the host waits for the worker's outcome before it
    /// kills the worker. Covers the engine's own watchdog slack. Default 3 s.
    /// </summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a starting worker may take to say it is ready. Default 30 s (a loaded 2-core machine is slow).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest frame a worker may send, in bytes. Default 80 MiB (a 64 MiB return value and its quoting fit).</summary>
    public int MaxFrameBytes { get; init; } = 80 * 1024 * 1024;

    /// <summary>
    /// The worker's main assembly (<c>ScriptHarness.Engines.Worker.dll</c>, run with the dotnet host), or any other
    /// executable that speaks the worker protocol; null (the default) finds the assembly in <c>scriptharness-worker/</c>
    /// next to this assembly, where the build puts it.
    /// </summary>
    public string? WorkerPath { get; init; }

    /// <summary>
    /// The host's environment variables a worker gets, by name; a name ending in <c>*</c> passes every variable that
    /// begins with what precedes it. Every other variable — API keys, tokens, connection strings — stays out of the
    /// worker, where code that escaped a script's engine would find it. Default <see cref="DefaultPassEnvironment"/>:
    /// what the runtime needs to start and what a script's clock and locale follow, as in-process. <c>["*"]</c> passes
    /// the whole environment.
    /// </summary>
    public IReadOnlyList<string> PassEnvironment { get; init; } = DefaultPassEnvironment;

    /// <summary>
    /// The variables a worker gets by default: <c>PATH</c>, <c>HOME</c>, the temporary directories, <c>TZ</c>,
    /// <c>LANG</c>/<c>LANGUAGE</c>/<c>LC_*</c>, <c>LD_LIBRARY_PATH</c>, the .NET root and globalization settings, and
    /// Windows' system directories.
    /// </summary>
    public static IReadOnlyList<string> DefaultPassEnvironment { get; } =
    [
        "PATH", "HOME", "TMPDIR", "TMP", "TEMP", "TZ", "LANG", "LANGUAGE", "LC_*", "LD_LIBRARY_PATH",
        "DOTNET_ROOT*", "DOTNET_SYSTEM_GLOBALIZATION_*", "DOTNET_BUNDLE_EXTRACT_BASE_DIR",
        "SystemRoot", "windir", "SystemDrive", "ProgramFiles", "ProgramFiles(x86)", "ProgramData",
    ];

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(MinWorkers >= 0 && MinWorkers <= MaxWorkers, "MinWorkers must be between 0 and MaxWorkers");
        Check(MaxWorkers is >= 1 and <= 1024, "MaxWorkers must be between 1 and 1024");
        Check(MaxScriptsPerWorker >= 1, "MaxScriptsPerWorker must be at least 1");
        // Each duration is at most what its timer, or the deadline it is added to, can hold.
        Check((IdleTrimAfter > TimeSpan.Zero && IdleTrimAfter <= MaxTimer) || IdleTrimAfter == Timeout.InfiniteTimeSpan, "IdleTrimAfter must be positive and at most 49.7 days, or infinite");
        Check(WorkerBaseBytes >= 16L * 1024 * 1024, "WorkerBaseBytes must be at least 16 MiB");
        Check(HardMemoryFactor is >= 1 and <= 64, "HardMemoryFactor must be between 1 and 64");
        Check(RecycleMemoryFactor >= 1 && RecycleMemoryFactor <= HardMemoryFactor, "RecycleMemoryFactor must be between 1 and HardMemoryFactor");
        Check(HeapLimitFactor is >= 1 and <= 64, "HeapLimitFactor must be between 1 and 64");
        Check(KillGrace > TimeSpan.Zero && KillGrace <= MaxGrace, "KillGrace must be positive and at most 10 minutes");
        Check(StartTimeout > TimeSpan.Zero && StartTimeout <= MaxGrace, "StartTimeout must be positive and at most 10 minutes");
        Check(MaxFrameBytes >= 64 * 1024, "MaxFrameBytes must be at least 64 KiB");
        Check(PassEnvironment is not null && PassEnvironment.All(IsVariablePattern), "PassEnvironment must list variable names, each with at most a trailing *");
        return problems;

        static bool IsVariablePattern(string? name) =>
            !string.IsNullOrEmpty(name) && !name.Contains('=', StringComparison.Ordinal) && name.IndexOf('*', StringComparison.Ordinal) is var star && (star == -1 || star == name.Length - 1);

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add("ProcessIsolation." + problem);
            }
        }
    }
}
