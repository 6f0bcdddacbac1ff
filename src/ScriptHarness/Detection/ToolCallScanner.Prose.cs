using System.Buffers;

namespace ScriptHarness.Detection;

/// <content>Prose: everything outside a block. Only <c>&lt;</c> and a line-start backtick can begin a marker.</content>
internal sealed partial class ToolCallScanner
{
    private static readonly SearchValues<char> ProseStops = SearchValues.Create("<`");

    private ScanStep ScanProse(ICollection<ReplySegment> emitted)
    {
        while (true)
        {
            var next = From(_scan).IndexOfAny(ProseStops);
            if (next < 0)
            {
                _scan = _length;
                return ScanStep.NeedMore;
            }

            var i = _scan + next;
            var match = _buffer[i] == '<' ? ProseTag(i, emitted) : ProseFence(i, emitted);
            if (match == MarkerMatch.NeedMore)
            {
                _scan = i; // resume at the candidate when the rest arrives
                return ScanStep.NeedMore;
            }

            if (_inBlock)
            {
                return ScanStep.Continue;
            }

            if (match == MarkerMatch.NoMatch)
            {
                _scan = i + 1;
            }
        }
    }

    private MarkerMatch ProseTag(int i, ICollection<ReplySegment> emitted)
    {
        var open = BlockMarkers.MatchLiteral(From(i), BlockMarkers.OpenTag, _final);
        if (open == MarkerMatch.Match)
        {
            OpenBlock(i, i + BlockMarkers.OpenTag.Length, BlockForm.Tag, emitted);
            return open;
        }

        var close = BlockMarkers.MatchLiteral(From(i), BlockMarkers.CloseTag, _final);
        if (close == MarkerMatch.Match)
        {
            var error = DetectionErrors.StrayClose(Locate(i));
            EmitText(i, emitted);
            EmitMalformed(i + BlockMarkers.CloseTag.Length, error, emitted);
            _scan = _segmentStart;
            return close;
        }

        return open == MarkerMatch.NeedMore || close == MarkerMatch.NeedMore ? MarkerMatch.NeedMore : MarkerMatch.NoMatch;
    }

    private MarkerMatch ProseFence(int i, ICollection<ReplySegment> emitted)
    {
        if (!IsLineStart(i))
        {
            return MarkerMatch.NoMatch;
        }

        var match = BlockMarkers.MatchFenceOpen(From(i), _final, out var length, out var form);
        if (match == MarkerMatch.Match)
        {
            OpenBlock(i, i + length, form, emitted);
        }

        return match;
    }
}
