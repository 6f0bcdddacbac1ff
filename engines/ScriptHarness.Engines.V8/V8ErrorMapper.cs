using Microsoft.ClearScript;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.V8;

/// <summary>Maps what ClearScript throws, and what V8 reports to the prelude, to typed errors with plain messages.</summary>
internal static class V8ErrorMapper
{
    // ClearScript's own messages (not localized): the soft heap limit, and its host-side stack check.
    private const string MemoryLimitText = "exceeded its memory limit";
    private const string StackLimitText = "exceeded its stack usage limit";

    // V8's uncaught errors that are really limits: the stack limit (RangeError) and the ArrayBuffer cap.
    private const string StackOverflowMessage = "RangeError: Maximum call stack size exceeded";
    private const string ArrayBufferMessage = "RangeError: Array buffer allocation failed";

    public static ScriptError Timeout(ScriptLimits limits) =>
        new(ScriptErrorCode.Timeout, $"the script ran longer than its time limit of {limits.Timeout.TotalMilliseconds:0} ms");

    public static ScriptError NeverSettles() => new(ScriptErrorCode.Timeout,
        "the script is waiting for a promise that can never settle (no tool call is pending)");

    public static ScriptError Cancelled() => new(ScriptErrorCode.Cancelled, "the run was cancelled");

    public static ScriptError MemoryLimit(ScriptLimits limits) =>
        new(ScriptErrorCode.MemoryLimit, $"the script exceeded its memory limit of {ReturnValues.Size(limits.MemoryBytes)}");

    public static ScriptError RecursionLimit(ScriptLimits limits, long stackBytes) => new(ScriptErrorCode.RecursionLimit,
        $"the script exceeded its call stack limit of {ReturnValues.Size(stackBytes)} (call depth limit {limits.MaxRecursionDepth} frames)");

    /// <summary>
    /// An error the script did not catch, as the prelude described it: a stack overflow becomes <c>recursion_limit</c>
    /// and a refused ArrayBuffer <c>memory_limit</c>; anything else keeps its code.
    /// </summary>
    public static ScriptErrorCode? LimitOf(string? message) => message switch
    {
        StackOverflowMessage => ScriptErrorCode.RecursionLimit,
        ArrayBufferMessage => ScriptErrorCode.MemoryLimit,
        _ => null,
    };

    /// <summary>
    /// Maps an exception that stopped the run. <paramref name="retire"/> is true when the runtime must not run
    /// another script (it hit its memory limit, or is in a state we do not know).
    /// </summary>
    public static ScriptError Map(Exception exception, ScriptLimits limits, long stackBytes, bool cancelled, out bool retire)
    {
        retire = false;
        switch (exception)
        {
            // ClearScript's interrupt exception is an OperationCanceledException: it must come first.
            case ScriptInterruptedException:
                return cancelled ? Cancelled() : Timeout(limits);
            case OperationCanceledException:
                return Cancelled();
            case ScriptEngineException e when e.Message.Contains(MemoryLimitText, StringComparison.Ordinal):
                // After the soft limit the runtime refuses every later script.
                retire = true;
                return MemoryLimit(limits);
            case ScriptEngineException e when e.Message.Contains(StackLimitText, StringComparison.Ordinal):
                return RecursionLimit(limits, stackBytes);
            case ScriptEngineException { IsFatal: true }:
                retire = true;
                return new ScriptError(ScriptErrorCode.HarnessInternal, "internal error in the v8 engine");
            case ScriptEngineException e when e.Message.StartsWith("SyntaxError", StringComparison.Ordinal):
                return new ScriptError(ScriptErrorCode.SyntaxError, e.Message);
            case ScriptEngineException e:
                return new ScriptError(ScriptErrorCode.RuntimeError, e.Message);
            default:
                retire = true;
                return new ScriptError(ScriptErrorCode.HarnessInternal, "internal error in the v8 engine");
        }
    }
}
