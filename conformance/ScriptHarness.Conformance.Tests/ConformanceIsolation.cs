using ScriptHarness.Engines.Process;

namespace ScriptHarness.Conformance.Tests;

/// <summary>The pool the Process-isolation classes run the catalogue on.</summary>
internal static class ConformanceIsolation
{
    /// <summary>
    /// As many workers as the harness runs scripts of one reply at once (MaxParallelScripts, 4): scenarios such as
    /// TOOL-016 hold that scripts stuck in a tool do not hold up the others, which needs a warm worker each.
    /// </summary>
    public static ProcessIsolationOptions Options { get; } = new() { MinWorkers = 4, MaxWorkers = 4 };
}
