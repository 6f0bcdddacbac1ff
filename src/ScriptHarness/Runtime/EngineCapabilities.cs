namespace ScriptHarness.Runtime;

/// <summary>The limits an engine enforces natively (the host enforces the wall-clock timeout for every engine).</summary>
[Flags]
public enum EngineCapabilities
{
    /// <summary>Nothing beyond the host's wall-clock deadline.</summary>
    None = 0,
    /// <summary>CPU loops are interrupted at the deadline by the engine itself.</summary>
    InterruptsLoops = 1,
    /// <summary>A memory limit stops the script with <c>memory_limit</c>.</summary>
    MemoryLimit = 2,
    /// <summary>A call-depth limit stops the script with <c>recursion_limit</c>.</summary>
    RecursionLimit = 4,
    /// <summary>Regular expressions have a match time limit.</summary>
    RegexTimeout = 8,
    /// <summary>Arrays have a maximum length.</summary>
    MaxArrayLength = 16,
    /// <summary>The engine is fully managed: nothing native can take the host process down.</summary>
    Managed = 32,
    /// <summary>
    /// The call-depth limit counts every route into a function — conversions (<c>valueOf</c>), Proxy traps, getters —
    /// not only call expressions, so any unbounded recursion ends with <c>recursion_limit</c>.
    /// </summary>
    RecursionLimitOnEveryRoute = 64,
    /// <summary>
    /// Every allocation is charged to the memory limit as it happens, so a single huge allocation is refused at once;
    /// a sampled limit (V8's soft heap limit) can let one through between samples.
    /// </summary>
    ExactMemoryLimit = 128,
    /// <summary>
    /// Scripts run in worker processes (<see cref="EngineIsolation.Process"/>): a script that kills its engine ends with
    /// <c>engine_crashed</c>, the host process lives on.
    /// </summary>
    ProcessIsolated = 256,
}
