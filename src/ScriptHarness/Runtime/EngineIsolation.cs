namespace ScriptHarness.Runtime;

/// <summary>Where an engine runs scripts: in the host's own process, or in worker processes of its own.</summary>
public enum EngineIsolation
{
    /// <summary>
    /// In the host process. Fastest; a script that drives a native engine (V8) into a fatal error (out of memory) can
    /// abort this process. The default for fully managed engines (Jint).
    /// </summary>
    InProcess,

    /// <summary>
    /// In a pool of worker processes (ScriptHarness.Engines.Process): whatever a script does to its engine, the host
    /// survives and the script ends with a typed error (<c>engine_crashed</c> when its worker died). The default for
    /// native engines (V8).
    /// </summary>
    Process,
}
