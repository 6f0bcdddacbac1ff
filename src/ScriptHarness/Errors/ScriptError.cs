namespace ScriptHarness;

/// <summary>
/// A typed error as the conversation sees it: a stable code, a plain message with no host paths or CLR
/// type names, and where known the script position and a cleaned stack.
/// </summary>
/// <param name="Code">The kind of error.</param>
/// <param name="Message">A plain, model-readable message.</param>
public sealed record ScriptError(ScriptErrorCode Code, string Message)
{
    /// <summary>1-based line in the script source, when the error has a position.</summary>
    public int? Line { get; init; }

    /// <summary>1-based column in the script source, when the error has a position.</summary>
    public int? Column { get; init; }

    /// <summary>The script stack, cleaned to <c>line:column</c> frames (at most 10), or null.</summary>
    public string? Stack { get; init; }

    /// <summary>Whether the same script may succeed if run again.</summary>
    public bool Retryable => Code.IsRetryable();

    /// <summary>The stable wire code, e.g. <c>timeout</c>.</summary>
    public string WireCode => Code.ToCode();

    /// <inheritdoc />
    public override string ToString() => Line is { } l ? $"{WireCode} ({l}:{Column}): {Message}" : $"{WireCode}: {Message}";
}
