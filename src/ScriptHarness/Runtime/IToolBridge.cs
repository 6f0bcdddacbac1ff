using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ScriptHarness.Runtime;

/// <summary>
/// The only door out of a sandbox. Engines call it; tool lookup, validation, budgets, approvals and call
/// tracking live behind it, engine-neutral. Only JSON crosses it.
/// </summary>
public interface IToolBridge
{
    /// <summary>The tools the script may call, as <c>namespace.name</c>; the engine builds the script's <c>tools</c> object from it.</summary>
    IReadOnlyCollection<string> ToolNames { get; }

    /// <summary>
    /// Time this script has spent waiting for people (approvals), the current wait included. Engines add it to the
    /// script's deadline: a person taking 20 s must not time the script out, while the script's own work stays bounded.
    /// </summary>
    TimeSpan PausedTime { get; }

    /// <summary>
    /// Calls the tool named <paramref name="tool"/> (<c>namespace.name</c>) with JSON arguments. Every way the call
    /// can end — its result, a refusal, the tool's failure, its time limit, cancellation — comes back as a
    /// <see cref="ToolResult"/> carrying what the script should see; it never throws for the call's failure.
    /// </summary>
    ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken);

    /// <summary>Reports progress from <c>context.progress(message)</c>; rate-limited behind the bridge.</summary>
    void Progress(string message);

    /// <summary>Captures a <c>console.*</c> call; rate-limited behind the bridge.</summary>
    void Log(LogLevel level, string message);
}
