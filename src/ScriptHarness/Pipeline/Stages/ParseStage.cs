using System.Diagnostics;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Parse: settles every block that must not run (too deeply nested, past the reply's block cap, malformed, invalid
/// UTF-8, refused by the validator) and validates the rest; prose passes through. Counts the reply's blocks, so it
/// serves one run.
/// </summary>
/// <param name="services">The harness: options, the validator and its cache, the log.</param>
/// <param name="depth">How deep the reply is nested in tool calls (0 when the host runs it).</param>
/// <param name="decoded">The reply's bytes when it came as UTF-8, to find blocks that held invalid bytes.</param>
internal sealed class ParseStage(HarnessServices services, int depth, DecodedReply? decoded)
{
    private int _blocks;

    public PipelineItem Parse(ReplySegment segment)
    {
        if (segment is TextSegment text)
        {
            return new PipelineItem.Prose(text);
        }

        var options = services.Options;
        if (depth > options.MaxNestingDepth)
        {
            // Every block of the reply: a sub-agent tool that recurses ends here, each block with its own result.
            return Settled(segment.Index, ScriptErrorCode.NestingLimitExceeded,
                $"this reply was run by a tool {depth} levels deep, and replies may nest at most {options.MaxNestingDepth} deep; this block was not run");
        }

        if (++_blocks > options.MaxBlocksPerReply)
        {
            // Checked before validation: blocks past the cap cost nothing, yet each still gets its result.
            return Settled(segment.Index, ScriptErrorCode.ReplyLimitExceeded, $"the reply has more than {options.MaxBlocksPerReply} blocks; this one was not run");
        }

        try
        {
            return segment switch
            {
                MalformedSegment m => new PipelineItem.Settled(ScriptOutcome.Failed(m.Index, m.Error)),
                ScriptSegment s when decoded?.HasInvalidUtf8(s.SourceStart, s.Source.Length) == true =>
                    Settled(s.Index, ScriptErrorCode.InvalidUtf8, "the script holds bytes that are not valid UTF-8"),
                ScriptSegment s => Validated(s.Index, services.Validate(s.Source)),
                // The scanner makes no other kind; were it to, the catch below reports it as a harness error.
                _ => throw new UnreachableException(),
            };
        }
        catch (Exception ex)
        {
            return new PipelineItem.Settled(StageFailure.Logged(services, segment.Index, ex, "parse"));
        }
    }

    private static PipelineItem Validated(int index, ScriptValidationResult result) =>
        result.IsValid
            ? new PipelineItem.Parsed(index, result.Script)
            : new PipelineItem.Settled(ScriptOutcome.Failed(index, result.Error));

    private static PipelineItem.Settled Settled(int index, ScriptErrorCode code, string message) =>
        new(ScriptOutcome.Failed(index, new ScriptError(code, message)));
}
