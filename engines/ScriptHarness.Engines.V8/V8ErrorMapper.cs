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

    /// <summary>V8's parser ran out of stack: thrown by the evaluation that makes the script's function.</summary>
    public static bool IsTooDeepToParse(Exception exception) =>
        exception is ScriptEngineException { IsFatal: false } e && e.Message.StartsWith(StackOverflowMessage, StringComparison.Ordinal);

    /// <summary>The script's nesting is past what V8's parser takes: the script's shape, not a limit it ran into.</summary>
    public static ScriptError TooDeepToParse() => new(
        ScriptErrorCode.SyntaxError,
        "The script is nested too deeply for the v8 engine to parse; flatten deeply nested expressions, such as long chains of + or ||, or blocks.");

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
                return cancelled ? EngineErrors.Cancelled() : EngineErrors.Timeout(limits);
            case OperationCanceledException:
                return EngineErrors.Cancelled();
            case ScriptEngineException e when e.Message.Contains(MemoryLimitText, StringComparison.Ordinal):
                // After the soft limit the runtime refuses every later script.
                retire = true;
                return EngineErrors.MemoryLimit(limits);
            case ScriptEngineException e when e.Message.Contains(StackLimitText, StringComparison.Ordinal):
                return EngineErrors.CallStack(limits, stackBytes);
            case ScriptEngineException { IsFatal: true }:
                retire = true;
                return EngineErrors.Internal("v8");
            case ScriptEngineException e when e.Message.StartsWith("SyntaxError", StringComparison.Ordinal):
                return new ScriptError(ScriptErrorCode.SyntaxError, e.Message);
            case ScriptEngineException e:
                return new ScriptError(ScriptErrorCode.RuntimeError, e.Message);
            default:
                retire = true;
                return EngineErrors.Internal("v8");
        }
    }
}
