using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// How an engine runs a script's text and reads what it left: the one wrapping the validator parsed (an async
/// function, so top-level <c>await</c> and <c>return</c> work), the stack as the script may see it, and the return
/// value under its size limit.
/// </summary>
public static class ScriptSource
{
    /// <summary>The source name an engine gives the wrapped script; stack frames of other sources are dropped.</summary>
    public const string SourceName = ScriptStackCleaner.ScriptSourceName;

    /// <summary>The script's source wrapped as an async function expression (line numbers unchanged).</summary>
    public static string Wrap(string source) => ScriptWrapper.Wrap(source);

    /// <summary>
    /// The script's frames of an engine's raw stack, positions mapped back to the script, with the line and column of
    /// the first frame (null when the stack has none of the script's frames).
    /// </summary>
    public static (string? Stack, int? Line, int? Column) CleanStack(string? rawStack) => ScriptStackCleaner.Clean(rawStack);

    /// <summary>
    /// The result for the JSON text a script returned (serialized inside the engine; null means <c>undefined</c>):
    /// its value, <c>return_value_too_large</c> with a preview, or <c>serialization_failed</c>.
    /// </summary>
    public static EngineResult ReturnValue(string? json, ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return ReturnValues.FromJson(json, limits);
    }
}
