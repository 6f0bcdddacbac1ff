using System.Text;
using ScriptHarness.Detection;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Cli;

/// <summary>
/// The clear end of an interrupted <c>run</c>: one <c>cancelled</c> result for each block of the reply that had none
/// yet, so a reader of the output sees every block accounted for.
/// </summary>
internal static class CancelledResults
{
    /// <summary>A cancelled result for every block (well formed or not) at index <paramref name="from"/> or later.</summary>
    public static IEnumerable<ResponseItem> After(byte[] utf8Reply, int from)
    {
        // Segment indexes depend only on where the markers are, so this decoding finds the pipeline's blocks.
        var text = Encoding.UTF8.GetString(utf8Reply.AsSpan(utf8Reply.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0));
        return ToolCallDetector.Detect(text)
            .Where(s => s.Index >= from && s is not TextSegment)
            .Select(s => new ScriptResultItem(s.Index, ScriptOutcome.Failed(s.Index,
                new ScriptError(ScriptErrorCode.Cancelled, "the run was interrupted before this block finished"))));
    }
}
