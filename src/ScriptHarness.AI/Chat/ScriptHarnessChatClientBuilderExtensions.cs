using ScriptHarness.AI.Chat;
using ScriptHarness.Pipeline;
using ScriptHarness.Tools;

namespace Microsoft.Extensions.AI;

/// <summary>Adds code mode to a chat pipeline.</summary>
public static class ScriptHarnessChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="ScriptHarnessChatClient"/>: the model writes <c>&lt;tool-calls&gt;</c> blocks over the harness's
    /// tools, and each request runs them and loops until the model answers without one.
    /// </summary>
    public static ChatClientBuilder UseScriptHarness(this ChatClientBuilder builder, HarnessPipeline harness,
        Func<ScriptHarnessChatClientOptions, ScriptHarnessChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(harness);
        return builder.UseScriptHarness(harness, harness.Tools, configure);
    }

    /// <summary>As above, for any <see cref="IScriptHarness"/> (a decorated one, say) with the tools it offers.</summary>
    public static ChatClientBuilder UseScriptHarness(this ChatClientBuilder builder, IScriptHarness harness, ToolRegistry tools,
        Func<ScriptHarnessChatClientOptions, ScriptHarnessChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(tools);
        var options = configure?.Invoke(new ScriptHarnessChatClientOptions()) ?? new ScriptHarnessChatClientOptions();
        return builder.Use(inner => new ScriptHarnessChatClient(inner, harness, tools, options));
    }
}
