using System.Globalization;
using ScriptHarness.Detection;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Detect: cuts the reply, chunk by chunk, into ordered prose and block segments, handing each on the moment it is
/// decided. Holds the scanner of one reply, so it serves one run and is called by one block at a time.
/// </summary>
internal sealed class DetectStage(HarnessServices services)
{
    private readonly ToolCallScanner _scanner = new();
    private readonly List<ReplySegment> _emitted = [];
    private int _nextIndex;

    /// <summary>The segments <paramref name="chunk"/> completes, in reply order; the end marker flushes the rest.</summary>
    public ReplySegment[] Detect(ReplyChunk chunk)
    {
        _emitted.Clear();
        try
        {
            if (chunk.TooLong)
            {
                // What is open is cut off: neither a block to run nor prose to pass on, so its place gets the reason.
                var limit = services.Options.MaxReplyLength;
                _emitted.Add(new MalformedSegment(_nextIndex, 0, 0, string.Empty, new ScriptError(ScriptErrorCode.ReplyLimitExceeded,
                    $"the reply is longer than {limit.ToString("N0", CultureInfo.InvariantCulture)} characters (MaxReplyLength): it was read no further, and what was open at that point was not run")));
            }
            else if (chunk.IsEnd)
            {
                _scanner.Complete(_emitted);
            }
            else
            {
                _scanner.Append(chunk.Text, _emitted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rest of the reply cannot be trusted to the scanner, yet the failure must reach the caller as a result.
            services.LogInternal(ex, "detect");
            _emitted.Add(new MalformedSegment(_nextIndex, 0, 0, string.Empty, StageFailure.Internal("the reply could not be read")));
        }

        if (_emitted.Count == 0)
        {
            // Most chunks of a stream complete nothing: no allocation for them.
            return [];
        }

        _nextIndex = _emitted[^1].Index + 1;
        return [.. _emitted];
    }
}
