namespace ScriptHarness.Detection;

/// <summary>
/// The incremental detector: feed a reply in chunks of any size with <see cref="Append"/>, then call
/// <see cref="Complete"/>; segments come out in reply order as soon as they are decided. Both
/// <see cref="ToolCallDetector"/> and <see cref="StreamingToolCallDetector"/> run this one implementation.
/// </summary>
/// <remarks>
/// <para>
/// The scanner buffers only the segment being built (the pending prose, or the open block) plus the unscanned
/// rest of the last chunk. When the buffered text ends in the middle of a marker, the scan stops at the
/// marker's first character and resumes there when the next chunk arrives, so a marker split anywhere (even
/// one character per chunk) is decided exactly once. No state changes until a decision is made.
/// </para>
/// <para>Recovery rules, chosen so that the rest of the reply is still detected:</para>
/// <list type="bullet">
/// <item>A <c>&lt;/tool-calls&gt;</c> in prose is a <see cref="MalformedSegment"/> (<c>nested_block</c>) covering
/// just the tag; the prose around it stays prose.</item>
/// <item>An opening marker (tag or tool-calls fence) in code inside an open block makes that block malformed
/// (<c>nested_block</c>). The malformed segment runs from the outer opening marker to the first closing marker in
/// code that closes either the outer or an inner block (whichever comes first); scanning resumes in prose after
/// it. A model that forgot to close a block thus loses one block, not the rest of the reply; a truly nested pair
/// leaves the outer closing tag behind as a stray one, reported as such.</item>
/// <item>A block still open at the end of the reply is malformed (<c>unclosed_block</c>) from its opening marker
/// to the end; a nested block still open at the end stays <c>nested_block</c>, the earlier fault.</item>
/// </list>
/// </remarks>
internal sealed partial class ToolCallScanner
{
    private const int ShrinkThreshold = 64 * 1024;

    private readonly LineCounter _lines = new();
    private char[] _buffer;
    private int _length;       // buffered characters
    private int _origin;       // reply offset of _buffer[0]
    private int _scan;         // next buffer index to examine
    private int _segmentStart; // buffer index where the pending segment starts
    private int _nextIndex;    // Index of the next segment emitted
    private char _charBeforeBuffer = '\n'; // the reply start counts as a line start
    private bool _final;
    private bool _completed;

    /// <summary>Creates a scanner.</summary>
    /// <param name="capacity">Initial buffer size; the reply length when it is known.</param>
    public ToolCallScanner(int capacity = 256) => _buffer = new char[Math.Max(capacity, 16)];

    /// <summary>Scans the next chunk of the reply and adds the segments it completes to <paramref name="emitted"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was already called.</exception>
    public void Append(ReadOnlySpan<char> chunk, ICollection<ReplySegment> emitted)
    {
        ArgumentNullException.ThrowIfNull(emitted);
        ThrowIfCompleted();
        // Stryker disable Statement : equivalent; an empty chunk scans nothing new, and compacting only bounds the buffer's size (the offsets move with it)
        if (chunk.IsEmpty)
        {
            return;
        }

        Compact();

        // Stryker restore Statement
        Reserve(chunk.Length);
        chunk.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
        Scan(emitted);
    }

    /// <summary>Ends the reply: decides what was held back and emits the last segments.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was already called.</exception>
    public void Complete(ICollection<ReplySegment> emitted)
    {
        ArgumentNullException.ThrowIfNull(emitted);
        ThrowIfCompleted();
        _completed = true;
        _final = true;
        Scan(emitted);
        if (_inBlock)
        {
            EmitUnfinishedBlock(emitted);
        }
        else
        {
            EmitText(_length, emitted);
        }
    }

    private void Scan(ICollection<ReplySegment> emitted)
    {
        while (_scan < _length)
        {
            var step = _inBlock ? ScanBlock(emitted) : ScanProse(emitted);
            if (step == ScanStep.NeedMore)
            {
                return;
            }
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The reply was already completed; use a new scanner for the next reply.");
        }
    }

    private bool IsLineStart(int i) => (i > 0 ? _buffer[i - 1] : _charBeforeBuffer) == '\n';

    private ReadOnlySpan<char> From(int i) => _buffer.AsSpan(i, _length - i);

    private (int Line, int Column) Locate(int i) => _lines.Locate(_buffer.AsSpan(0, _length), _origin, i);

    private void EmitText(int end, ICollection<ReplySegment> emitted)
    {
        if (end > _segmentStart)
        {
            var text = new string(_buffer, _segmentStart, end - _segmentStart);
            emitted.Add(new TextSegment(_nextIndex++, _origin + _segmentStart, text.Length, text));
        }

        _segmentStart = end;
    }

    private void EmitMalformed(int end, ScriptError error, ICollection<ReplySegment> emitted)
    {
        var raw = new string(_buffer, _segmentStart, end - _segmentStart);
        emitted.Add(new MalformedSegment(_nextIndex++, _origin + _segmentStart, raw.Length, raw, error));
        _segmentStart = end;
    }

    // Drops the emitted text from the front of the buffer. Done once per chunk, not per segment, so a chunk
    // holding many blocks costs one copy of its unscanned rest.
    private void Compact()
    {
        var drop = _segmentStart;
        if (drop == 0)
        {
            return;
        }

        _lines.Drop(_buffer.AsSpan(0, drop), _origin);
        _charBeforeBuffer = _buffer[drop - 1];
        _length -= drop;
        if (_buffer.Length > ShrinkThreshold && _length < _buffer.Length / 4)
        {
            var smaller = new char[Math.Max(_buffer.Length / 2, 256)];
            Array.Copy(_buffer, drop, smaller, 0, _length);
            _buffer = smaller;
        }
        else
        {
            Array.Copy(_buffer, drop, _buffer, 0, _length);
        }

        _origin += drop;
        _scan -= drop;
        _segmentStart = 0;
        ShiftBlock(drop);
    }

    private void Reserve(int more)
    {
        var needed = _length + more;

        // Stryker disable Equality,Arithmetic : equivalent; the growth policy (when, and by how much) changes copies and memory, never the segments
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, (int)Math.Min(Array.MaxLength, 2L * _buffer.Length)));
        }

        // Stryker restore Equality,Arithmetic
    }
}
