namespace ScriptHarness.Detection;

/// <content>The open block: where it starts, how it may end, and emitting it.</content>
internal sealed partial class ToolCallScanner
{
    private bool _inBlock;
    private BlockForm _form;
    private int _sourceStart;     // buffer index of the script's first character
    private int _nestedAt = -1;   // buffer index of the first inner opening marker, or -1
    private BlockForm _nestedForm;
    private bool _closesOnTag;    // whether </tool-calls> in code ends the block
    private bool _closesOnFence;  // whether a closing ``` line in code ends the block

    private void OpenBlock(int start, int sourceStart, BlockForm form, ICollection<ReplySegment> emitted)
    {
        EmitText(start, emitted);
        _inBlock = true;
        _form = form;
        _sourceStart = sourceStart;
        _scan = sourceStart;
        _nestedAt = -1;
        _closesOnTag = form == BlockForm.Tag;
        _closesOnFence = form != BlockForm.Tag;
        ResetLexer();
    }

    // An opening marker in code: the block is malformed from here on, and the inner block's closer ends it too.
    private void MarkNested(int at, BlockForm form)
    {
        if (_nestedAt < 0)
        {
            _nestedAt = at;
            _nestedForm = form;
        }

        _closesOnTag |= form == BlockForm.Tag;
        _closesOnFence |= form != BlockForm.Tag;
    }

    private void CloseBlock(int closerStart, int end, ICollection<ReplySegment> emitted)
    {
        if (_nestedAt >= 0)
        {
            EmitMalformed(end, NestedError(closed: true), emitted);
        }
        else
        {
            var source = new string(_buffer, _sourceStart, closerStart - _sourceStart);
            emitted.Add(new ScriptSegment(_nextIndex++, _origin + _segmentStart, end - _segmentStart, source, _origin + _sourceStart, _form));
            _segmentStart = end;
        }

        _inBlock = false;
        _scan = end;
    }

    private void EmitUnfinishedBlock(ICollection<ReplySegment> emitted)
    {
        var error = _nestedAt >= 0 ? NestedError(closed: false) : DetectionErrors.Unclosed(_form, Locate(_segmentStart));
        EmitMalformed(_length, error, emitted);
        _inBlock = false;
    }

    private ScriptError NestedError(bool closed)
    {
        var outerAt = Locate(_segmentStart); // the earlier position first: the line counter only moves forward cheaply
        return DetectionErrors.Nested(_nestedForm, Locate(_nestedAt), _form, outerAt, closed);
    }

    // Keeps the block's buffer indexes valid after Compact() dropped `drop` characters from the front.
    private void ShiftBlock(int drop)
    {
        if (!_inBlock)
        {
            return;
        }

        _sourceStart -= drop;
        if (_nestedAt >= 0)
        {
            _nestedAt -= drop;
        }

        if (_lastSignificant >= 0)
        {
            _lastSignificant -= drop;
        }
    }
}
