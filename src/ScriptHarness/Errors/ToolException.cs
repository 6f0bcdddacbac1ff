namespace ScriptHarness;

/// <summary>
/// A tool call failed with a specific code (<c>tool_validation_failed</c>, <c>tool_execution_failed</c>, …).
/// Tool handlers throw it to give the script a clear, catchable error; any other exception from a handler is
/// reported as <c>tool_execution_failed</c> with its details hidden from the script.
/// </summary>
public sealed class ToolException : ScriptHarnessException
{
    /// <summary>Creates a tool error.</summary>
    public ToolException(ScriptErrorCode code, string message, Exception? innerException = null)
        : base(code, message, innerException)
    {
    }

    /// <summary>Arguments were rejected: <c>tool_validation_failed</c>.</summary>
    public static ToolException Validation(string message) => new(ScriptErrorCode.ToolValidationFailed, message);

    /// <summary>The tool could not do its work: <c>tool_execution_failed</c>.</summary>
    public static ToolException Execution(string message) => new(ScriptErrorCode.ToolExecutionFailed, message);
}
