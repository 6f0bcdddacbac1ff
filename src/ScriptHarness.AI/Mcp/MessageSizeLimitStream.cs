namespace ScriptHarness.AI.Mcp;

/// <summary>
/// An MCP server's standard output, read-only, that fails the read once a message (a line) passes a size: the SDK
/// reads each line whole into a string, so a server that sends a huge answer, or output without a line break, would
/// otherwise grow the host's memory without bound (a 60 MB answer took ~670 MB in the SDK's reader).
/// </summary>
internal sealed class MessageSizeLimitStream(Stream inner, long maxMessageBytes, Action<long> exceeded) : Stream
{
    private long _lineBytes;

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
        for (var rest = read; ;)
        {
            var lineBreak = rest.IndexOf((byte)'\n');
            if (lineBreak < 0)
            {
                line += rest.Length;
                break;
            }

            Check(line + lineBreak);
            line = 0;
            rest = rest[(lineBreak + 1)..];
        }

        Check(line);
        _lineBytes = line;
        return read.Length;
    }

    private void Check(long lineBytes)
    {
        if (lineBytes > maxMessageBytes)
        {
            exceeded(maxMessageBytes);
            throw new IOException($"the MCP server sent a message over the limit of {maxMessageBytes:N0} bytes");
        }
    }
}
