using System.Text.RegularExpressions;
using Jint;
using Jint.Runtime;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>Maps what Jint throws to typed errors with plain messages (no CLR type names, no host paths).</summary>
internal static class JintErrorMapper
{
    public static ScriptError Map(Exception exception, ScriptLimits limits) => exception switch
    {
        RegexMatchTimeoutException => EngineErrors.RegexTimeout(limits),
        TimeoutException => EngineErrors.Timeout(limits),
        // Jint reports the array-length limit through the same exception type as the memory budget.
        MemoryLimitExceededException m when m.Message.Contains("array", StringComparison.OrdinalIgnoreCase) => EngineErrors.ArrayLength(limits),
        MemoryLimitExceededException or OutOfMemoryException => EngineErrors.MemoryLimit(limits),
        RecursionDepthOverflowException or InsufficientExecutionStackException => EngineErrors.CallDepth(limits),
        ExecutionCanceledException or OperationCanceledException => EngineErrors.Cancelled(),
        JavaScriptException js => FromJavaScript(js),
        Acornima.ParseErrorException parse => new ScriptError(ScriptErrorCode.SyntaxError, parse.Description)
        {
            Line = parse.LineNumber,
            Column = parse.Column,
        },
        // Acornima overflows an Int32 on a huge regular expression escape (`new RegExp("\\99999999999")`) instead of
        // reporting it; the value came from the script, so it is the script's error, not a retryable harness one.
        OverflowException overflow => FromOverflow(overflow),
        ScriptPreparationException preparation => FromPreparation(preparation, limits),
        _ => EngineErrors.Internal("jint"),
    };

    // Jint wraps whatever stops the preparation of a script; its own refusal is the innermost one, with no cause: its
    // analysis walks at most 256 levels of the syntax tree (a sum of 300 terms is 300 levels), where the validator's
    // parser and V8 go deeper. The script's shape is the script's error, not a retryable harness one.
    private static ScriptError FromPreparation(ScriptPreparationException preparation, ScriptLimits limits)
    {
        Exception innermost = preparation;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost switch
        {
            ScriptPreparationException or InsufficientExecutionStackException => new ScriptError(
                ScriptErrorCode.SyntaxError,
                "The script is nested too deeply for the jint engine (256 levels of expressions and blocks); flatten deeply nested expressions, such as long chains of + or ||, or blocks."),
            _ => Map(innermost, limits),
        };
    }

    private static ScriptError FromOverflow(OverflowException overflow) =>
        overflow.StackTrace?.Contains("RegExpParser", StringComparison.Ordinal) == true
            ? new ScriptError(ScriptErrorCode.SyntaxError, "Invalid regular expression: an escape's number is too large")
            : new ScriptError(ScriptErrorCode.RuntimeError, "a number in the script is out of the range the engine supports");

    private static ScriptError FromJavaScript(JavaScriptException js)
    {
        var (stack, line, column) = ScriptSource.CleanStack(js.JavaScriptStackTrace);
        var code = js.Error.IsObject() && js.Error.AsObject().Get("name").ToString() == "SyntaxError"
            ? ScriptErrorCode.SyntaxError
            : ScriptErrorCode.RuntimeError;
        return new ScriptError(code, js.Message) { Stack = stack, Line = line, Column = column };
    }
}
