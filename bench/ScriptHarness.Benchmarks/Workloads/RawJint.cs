using Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// Raw Jint, no harness, configured with the same limits our Jint sandbox applies (see JintRun.CreateEngine): the
/// baseline of W5's "≤ 1.1× raw Jint" target. Our deadline constraint is internal to the engine project; Jint's own
/// <c>TimeoutInterval</c> performs the same per-statement clock check.
/// </summary>
internal static class RawJint
{
    public static Engine Create(ScriptLimits limits, CancellationToken cancellationToken = default) => new(options =>
    {
        options.LimitMemory(limits.MemoryBytes);
        options.TimeoutInterval(limits.Timeout);
        options.LimitRecursion(limits.MaxRecursionDepth);
        options.CancellationToken(cancellationToken);
        options.Constraints.StackOverflowGuard = true;
        options.Constraints.RegexTimeout = limits.RegexTimeout;
        options.Constraints.MaxArraySize = limits.MaxArrayLength;
        options.Host.StringCompilationAllowed = false;
        options.Strict = false;
    });

    /// <summary>A fresh engine per script, as our sandbox does, evaluating the verbatim anchor source.</summary>
    public static double Evaluate(string source, ScriptLimits limits)
    {
        using var engine = Create(limits);
        return engine.Evaluate(source).AsNumber();
    }
}
