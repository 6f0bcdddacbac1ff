using Microsoft.Extensions.AI;
using ScriptHarness.AI.Functions;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>The harness as an <see cref="AIFunction"/>.</summary>
public static class ScriptHarnessFunctionExtensions
{
    /// <summary>The default name of the function: <c>execute_script</c>.</summary>
    public const string DefaultName = "execute_script";

    /// <summary>
    /// The harness as one function, <c>execute_script(script)</c>, described with the TypeScript declarations of its
    /// tools; the result is the block's jsonl item as JSON.
    /// </summary>
    public static AIFunction AsAIFunction(this HarnessPipeline harness, string name = DefaultName, RunOptions? runOptions = null)
    {
        ArgumentNullException.ThrowIfNull(harness);
        return harness.AsAIFunction(harness.Tools, name, runOptions);
    }

    /// <summary>As above, for any <see cref="IScriptHarness"/> with the tools it offers.</summary>
    public static AIFunction AsAIFunction(this IScriptHarness harness, ToolRegistry tools, string name = DefaultName, RunOptions? runOptions = null)
    {
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ScriptHarnessFunction(harness, tools, name, runOptions);
    }
}
