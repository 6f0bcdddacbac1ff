using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Prepare: gives a validated script its frozen context (ids, mode, limits, nesting depth), or settles it as skipped
/// when tools are disabled for the run.
/// </summary>
/// <param name="identity">Whose reply it is: the ids every script's context carries.</param>
/// <param name="mode">The run's tool mode.</param>
/// <param name="limits">The limits every script of the harness runs under.</param>
/// <param name="depth">How deep the reply is nested in tool calls (0 when the host runs it).</param>
internal sealed class PrepareStage(RunIdentity identity, ToolMode mode, ScriptLimits limits, int depth)
{
    public PipelineItem Prepare(PipelineItem.Parsed item)
    {
        if (mode == ToolMode.Disabled)
        {
            // Not run, yet the result still names the script it stands for.
            return new PipelineItem.Settled(ScriptOutcome.Skipped(item.Index) with { Sha256 = item.Script.Sha256 });
        }

        var context = ScriptContextFactory.Create(identity, item.Index, mode, limits);
        if (depth > 0)
        {
            context = context with { NestingDepth = depth };
        }

        return new PipelineItem.Ready(item.Index, new PreparedScript(item.Script, context));
    }
}
