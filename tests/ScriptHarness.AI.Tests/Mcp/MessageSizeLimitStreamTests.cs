using System.Text;
using ScriptHarness.AI.Mcp;

namespace ScriptHarness.AI.Tests.Mcp;

public sealed class MessageSizeLimitStreamTests
{
    [Theory]
    [InlineData(new[] { "0123456789\n" }, 10)]
    [InlineData(new[] { "01234", "56789\n0123", "456789\n" }, 10)]
    [InlineData(new[] { "0123\n01234567\n012345678", "9" }, 10)]
    [InlineData(new[] { "\n\n\n", "0123456789" }, 10)]
    public async Task LinesUpToTheLimit_ReadThrough_HoweverTheyAreChunked(string[] chunks, long limit)
    {
        var exceeded = 0;
        using var stream = new MessageSizeLimitStream(new ChunkedStream(chunks), limit, _ => exceeded++);

        var text = await new StreamReader(stream).ReadToEndAsync();

        Assert.Equal(string.Concat(chunks), text);
        Assert.Equal(0, exceeded);
    }

    [Theory]
    [InlineData(new[] { "01234567890\n" }, 10)]
    [InlineData(new[] { "01234", "567890" }, 10)]
    [InlineData(new[] { "01\n012345678901\n01" }, 10)]
    [InlineData(new[] { "0123456", "7890\n01" }, 10)]
    public async Task ALineOverTheLimit_FailsTheRead_AndReportsIt(string[] chunks, long limit)
    {
        long? reported = null;
        using var stream = new MessageSizeLimitStream(new ChunkedStream(chunks), limit, l => reported = l);

        var error = await Assert.ThrowsAsync<IOException>(() => new StreamReader(stream).ReadToEndAsync());

        Assert.Contains("over the limit of 10 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(limit, reported);
    }

    [Fact]
    public void SyncReads_AreCountedToo()
    {
        using var stream = new MessageSizeLimitStream(new ChunkedStream(["0123456789", "0"]), 10, _ => { });
        var buffer = new byte[64];

        Assert.Equal(10, stream.Read(buffer, 0, buffer.Length));
        Assert.Throws<IOException>(() => stream.Read(buffer, 0, buffer.Length));
    }

    /// <summary>Hands out one chunk per read, as a pipe does with what the writer flushed.</summary>
    private sealed class ChunkedStream(string[] chunks) : Stream
    {
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_next == chunks.Length)
            {
                return 0;
            }

            var bytes = Encoding.UTF8.GetBytes(chunks[_next++]);
            Assert.True(bytes.Length <= count);
            bytes.CopyTo(buffer, offset);
            return bytes.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
