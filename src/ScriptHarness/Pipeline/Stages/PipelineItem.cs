using ScriptHarness.Context;
using ScriptHarness.Detection;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Pipeline;

/// <summary>
/// One reply segment between the stages, as far as it got. Each stage takes only the case it acts on, so no stage
/// reads a field another stage has not filled; the cases are nested and the constructor is private, so the set is closed.
/// </summary>
internal abstract record PipelineItem
{
    private PipelineItem(int index) => Index = index;

    /// <summary>0-based position of the segment in the reply: the index of its response item.</summary>
    public int Index { get; }

    /// <summary>Prose, returned as written.</summary>
    public sealed record Prose(TextSegment Segment) : PipelineItem(Segment.Index);

    /// <summary>A block whose script passed validation, waiting for its context.</summary>
    public sealed record Parsed(int Index, ParsedScript Script) : PipelineItem(Index);

    /// <summary>A script with its frozen context: the only case the run stage runs.</summary>
    public sealed record Ready(int Index, PreparedScript Prepared) : PipelineItem(Index);

    /// <summary>A block whose result is known without running it: malformed, refused, skipped, or failed inside the harness.</summary>
    public sealed record Settled(ScriptOutcome Outcome) : PipelineItem(Outcome.Index);
}
