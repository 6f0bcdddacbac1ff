namespace ScriptHarness.Engines;

/// <summary>
/// How a script ended, as the script surface reported it from inside the engine: the JSON text of its return value
/// (null for <c>undefined</c>), or the wire code, message and raw stack of the error it did not catch.
/// </summary>
/// <param name="Ok">Whether the script returned (true) or threw (false).</param>
/// <param name="Json">The return value as JSON text, serialized inside the engine; null for <c>undefined</c>.</param>
/// <param name="Code">The error's wire code (<see cref="ScriptErrorCodes"/>); unknown codes read as <c>runtime_error</c>.</param>
/// <param name="Message">The error's message.</param>
/// <param name="Stack">The error's raw stack, cleaned by <see cref="ScriptSource.CleanStack"/>.</param>
public sealed record ScriptReport(bool Ok, string? Json, string? Code, string? Message, string? Stack)
{
    /// <summary>The script returned <paramref name="json"/> (null for <c>undefined</c>).</summary>
    public static ScriptReport Returned(string? json) => new(true, json, null, null, null);

    /// <summary>The script threw an error it did not catch.</summary>
    public static ScriptReport Threw(string? code, string? message, string? stack) => new(false, null, code, message, stack);
}
