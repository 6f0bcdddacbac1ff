using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Jint;
using Jint.Runtime;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>Maps what Jint throws to typed errors with plain messages (no CLR type names, no host paths).</summary>
internal static class JintErrorMapper
{
    public static ScriptError Timeout(ScriptLimits limits) =>
        new(ScriptErrorCode.Timeout, $"the script ran longer than its time limit of {limits.Timeout.TotalMilliseconds:0} ms");

    public static bool TryMap(Exception exception, ScriptLimits limits, [NotNullWhen(true)] out ScriptError? error)
    {
        error = exception switch
        {
            RegexMatchTimeoutException => new ScriptError(ScriptErrorCode.Timeout,
                $"a regular expression ran longer than its time limit of {Math.Min(limits.RegexTimeout.TotalMilliseconds, limits.Timeout.TotalMilliseconds):0} ms"),
            TimeoutException => Timeout(limits),
            // Jint reports the array-length limit through the same exception type as the memory budget.
            MemoryLimitExceededException m when m.Message.Contains("array", StringComparison.OrdinalIgnoreCase) =>
                new ScriptError(ScriptErrorCode.MemoryLimit, $"the script created an array longer than the limit of {limits.MaxArrayLength} elements"),
            MemoryLimitExceededException or OutOfMemoryException => new ScriptError(ScriptErrorCode.MemoryLimit,
                $"the script exceeded its memory limit of {ReturnValues.Size(limits.MemoryBytes)}"),
            RecursionDepthOverflowException or InsufficientExecutionStackException => new ScriptError(ScriptErrorCode.RecursionLimit,
                $"the script exceeded its call depth limit of {limits.MaxRecursionDepth} frames"),
            ExecutionCanceledException or OperationCanceledException => new ScriptError(ScriptErrorCode.Cancelled, "the run was cancelled"),
            JavaScriptException js => FromJavaScript(js),
            Acornima.ParseErrorException parse => new ScriptError(ScriptErrorCode.SyntaxError, parse.Description)
            {
                Line = parse.LineNumber,
                Column = parse.Column,
            },
            // Acornima overflows an Int32 on a huge regular expression escape (`new RegExp("\\99999999999")`) instead of
            // reporting it; the value came from the script, so it is the script's error, not a retryable harness one.
            OverflowException overflow => FromOverflow(overflow),
            _ => new ScriptError(ScriptErrorCode.HarnessInternal, "internal error in the jint engine"),
        };
        return true;
    }

    private static ScriptError FromOverflow(OverflowException overflow) =>
        overflow.StackTrace?.Contains("RegExpParser", StringComparison.Ordinal) == true
            ? new ScriptError(ScriptErrorCode.SyntaxError, "Invalid regular expression: an escape's number is too large")
            : new ScriptError(ScriptErrorCode.RuntimeError, "a number in the script is out of the range the engine supports");

    private static ScriptError FromJavaScript(JavaScriptException js)
    {
        var (stack, line, column) = ScriptStackCleaner.Clean(js.JavaScriptStackTrace);
        var code = js.Error.IsObject() && js.Error.AsObject().Get("name").ToString() == "SyntaxError"
            ? ScriptErrorCode.SyntaxError
            : ScriptErrorCode.RuntimeError;
        return new ScriptError(code, js.Message) { Stack = stack, Line = line, Column = column };
    }
}
