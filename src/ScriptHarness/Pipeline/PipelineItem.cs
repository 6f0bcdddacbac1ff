using ScriptHarness.Context;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Pipeline;

/// <summary>One reply segment as it moves through the stages; once <see cref="Outcome"/> is set, later stages pass it on.</summary>
internal sealed record PipelineItem(ReplySegment Segment)
{
    public ParsedScript? Script { get; init; }

    public PreparedScript? Prepared { get; init; }

    public ScriptOutcome? Outcome { get; init; }
}
