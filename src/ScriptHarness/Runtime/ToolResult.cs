using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ScriptHarness.Runtime;

/// <summary>
/// How one tool call ended, as a value: its JSON result, or the typed error the script sees (a stable code and a plain
/// message). <see cref="IToolBridge.InvokeAsync"/> returns it and never throws for a tool's failure. The default value
/// is a success with a null result.
/// </summary>
public readonly struct ToolResult : IEquatable<ToolResult>
{
    private ToolResult(JsonNode? value, ScriptError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The tool's JSON result (null for JSON <c>null</c>), when <see cref="IsSuccess"/>.</summary>
    public JsonNode? Value { get; }

    /// <summary>Why the call failed, when not <see cref="IsSuccess"/>: what the script's rejected promise carries.</summary>
    public ScriptError? Error { get; }

    /// <summary>Whether the call succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>A call that returned <paramref name="value"/>.</summary>
    public static ToolResult Success(JsonNode? value) => new(value, null);

    /// <summary>A call that failed with <paramref name="error"/>.</summary>
    public static ToolResult Failure(ScriptError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>A call that failed with <paramref name="code"/> and <paramref name="message"/>.</summary>
    public static ToolResult Failure(ScriptErrorCode code, string message) => Failure(new ScriptError(code, message));

    /// <inheritdoc />
    public bool Equals(ToolResult other) => ReferenceEquals(Value, other.Value) && Equals(Error, other.Error);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ToolResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Error);

    /// <summary>Whether two results are the same.</summary>
    public static bool operator ==(ToolResult left, ToolResult right) => left.Equals(right);

    /// <summary>Whether two results differ.</summary>
    public static bool operator !=(ToolResult left, ToolResult right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? Value?.ToJsonString() ?? "null" : Error.ToString();
}
