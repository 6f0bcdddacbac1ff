using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ScriptHarness.Runtime;

/// <summary>
/// What an engine says about one run: the script's value or a typed error, how long it took, and whether the
/// runtime it ran on must not run another script. The harness adds what the tool facade knows (calls, logs) and the
/// block's place in the reply to make the <see cref="ScriptOutcome"/>.
/// </summary>
public sealed record EngineResult
{
    private EngineResult(JsonNode? value, ScriptError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>
    /// The script's return value as JSON (null for <c>undefined</c>); with <see cref="ScriptErrorCode.ReturnValueTooLarge"/>,
    /// a preview of it (a JSON string).
    /// </summary>
    public JsonNode? Value { get; }

    /// <summary>Why the script failed; null when it succeeded.</summary>
    public ScriptError? Error { get; }

    /// <summary>Whether the script succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Wall-clock time from the script's start to its result (time waiting for a runtime not included).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Whether the runtime the script ran on must not run another one (it hit a limit that leaves it unusable, or it
    /// was written off by the watchdog). For layers that pool runtimes; the harness reports the outcome either way.
    /// </summary>
    public bool RetireRuntime { get; init; }

    /// <summary>A script that returned <paramref name="value"/> (null for <c>undefined</c>).</summary>
    public static EngineResult Success(JsonNode? value) => new(value, null);

    /// <summary>A script that failed with <paramref name="error"/>; <paramref name="preview"/> only with <c>return_value_too_large</c>.</summary>
    public static EngineResult Failure(ScriptError error, JsonNode? preview = null) =>
        new(preview, error ?? throw new ArgumentNullException(nameof(error)));
}
