namespace ScriptHarness.Conformance.Running;

/// <summary>How one scenario went on one engine.</summary>
public enum ConformanceStatus
{
    /// <summary>The engine produced the expected outcome within the time bound, and survived.</summary>
    Pass,
    /// <summary>It did not; the result's reason says what differed.</summary>
    Fail,
    /// <summary>Not run: the engine lacks a capability or feature the scenario needs, or is not available at all.</summary>
    Skip,
}
