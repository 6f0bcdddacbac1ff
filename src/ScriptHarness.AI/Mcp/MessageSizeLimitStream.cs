using System.Buffers;
using System.Globalization;

namespace ScriptHarness.AI.Mcp;

/// <summary>
/// An MCP server's standard output, read-only, that fails the read once a message (a line) passes a size in bytes or
/// in JSON values: the SDK reads each line whole into a string, then into a tree of nodes, so a server that sends a
/// huge answer, or output without a line break, would otherwise grow the host's memory without bound (a 60 MB answer
/// took ~670 MB in the SDK's reader), and one dense with small values takes far more than its size (an array of 5.5 M
/// zeros, 16 MB, took ~950 MB).
/// </summary>
/// <remarks>
/// Values are counted as the separators and openings outside strings (<c>,</c> <c>[</c> <c>{</c>): a bound on the
/// nodes the message becomes, found without parsing it.
/// </remarks>
internal sealed class MessageSizeLimitStream(Stream inner, long maxMessageBytes, long maxMessageValues, Action<string> exceeded) : Stream
{
    private static readonly SearchValues<byte> OutsideStrings = SearchValues.Create("\n\",[{"u8);
    private static readonly SearchValues<byte> InsideStrings = SearchValues.Create("\n\"\\"u8);

    private long _lineBytes;
    private long _lineValues;
    private bool _inString;
    private bool _escaped;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(buffer[..inner.Read(buffer)]);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        var line = _lineBytes;
        var rest = read;
        while (!rest.IsEmpty)
        {
            if (_escaped && rest[0] != (byte)'\n')
            {
                // The character after a backslash in a string is taken as it is (a quote there does not end the string).
                _escaped = false;
                line++;
                rest = rest[1..];
                continue;
            }

            var at = rest.IndexOfAny(_inString ? InsideStrings : OutsideStrings);
            if (at < 0)
            {
                line += rest.Length;
                break;
            }

            switch (rest[at])
            {
                case (byte)'\n':
                    // A message is one line: JSON holds no raw line break, so this ends it, whatever was open.
                    CheckBytes(line + at);
                    line = 0;
                    _lineValues = 0;
                    _inString = _escaped = false;
                    rest = rest[(at + 1)..];
                    continue;
                case (byte)'"':
                    _inString = !_inString;
                    break;
                case (byte)'\\':
                    _escaped = true;
                    break;
                default:
                    CountValue();
                    break;
            }

            line += at + 1;
            rest = rest[(at + 1)..];
        }

        CheckBytes(line);
        _lineBytes = line;
        return read.Length;
    }

    private void CheckBytes(long lineBytes)
    {
        if (lineBytes > maxMessageBytes)
        {
            Exceed($"over the limit of {maxMessageBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes (McpToolOptions.MaxMessageBytes)");
        }
    }

    private void CountValue()
    {
        if (++_lineValues > maxMessageValues)
        {
            Exceed($"of more than {maxMessageValues.ToString("N0", CultureInfo.InvariantCulture)} JSON values (McpToolOptions.MaxMessageValues)");
        }
    }

    private void Exceed(string what)
    {
        exceeded(what);
        throw new IOException("the MCP server sent a message " + what);
    }
}
