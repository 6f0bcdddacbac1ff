namespace ScriptHarness.AI.Tools;

/// <summary>How <see cref="AIFunctionTools"/> turns functions into harness tools. Immutable.</summary>
public sealed record AIFunctionToolOptions
{
    /// <summary>The default options.</summary>
    public static AIFunctionToolOptions Default { get; } = new();

    /// <summary>
    /// Decides, per function, whether each call needs a person's approval when the function itself does not say so
    /// (an <see cref="Microsoft.Extensions.AI.ApprovalRequiredAIFunction"/> always does). Default: null, no other function needs it.
    /// </summary>
    public Func<Microsoft.Extensions.AI.AIFunction, bool>? RequireApproval { get; init; }

    /// <summary>Time limit of one call of these tools; the harness's <c>ToolTimeout</c> when null (default).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Whether the functions never block their thread (truly asynchronous or instant); see
    /// <see cref="ScriptHarness.Tools.ToolDefinition.NonBlocking"/>. Default false: handlers start on the harness's tool threads.
    /// </summary>
    public bool NonBlocking { get; init; }
}
