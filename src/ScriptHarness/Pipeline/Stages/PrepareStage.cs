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
/// <param name="conversationGiven">Whether the host gave <paramref name="identity"/> with a conversation id that is not blank (so scripts may keep state under it).</param>
internal sealed class PrepareStage(RunIdentity identity, ToolMode mode, ScriptLimits limits, int depth, bool conversationGiven = false)
{
    public PipelineItem Prepare(PipelineItem.Parsed item)
    {
        if (mode == ToolMode.Disabled)
        {
            // Not run, yet the result still names the script it stands for.
            return new PipelineItem.Settled(ScriptOutcome.Skipped(item.Index) with { Sha256 = item.Script.Sha256 });
        }

        var context = ScriptContextFactory.Create(identity, item.Index, mode, limits);
        if (depth > 0 || conversationGiven)
        {
            context = context with { NestingDepth = depth, ConversationGiven = conversationGiven };
        }

        return new PipelineItem.Ready(item.Index, new PreparedScript(item.Script, context));
    }
}
