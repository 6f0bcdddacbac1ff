using System.Text;
using ScriptHarness.AI.Mcp;

namespace ScriptHarness.AI.Tests.Mcp;

public sealed class MessageSizeLimitStreamTests
{
    private const long Values = 1_000_000;
    private const long Bytes = 1024;

    // Values are the commas and openings outside strings: each line below holds three at the most ('|' cuts
    // the chunks the reads hand out).
    [Theory]
    [InlineData("[1,2,3]\n|[1,2,3]\n")]
    [InlineData("{\"a\":1,\"b\":[]}\n")]
    [InlineData("[\"a,b,[{\", \"x\\\",[y\",3]\n")]
    [InlineData("[\"a\\|\",[,[\",|1,|2]")]
    [InlineData("[\"a\\\\\",1,2]")]
    [InlineData("\"open,[{,\n|[1,2]\n")]
    public async Task ValuesUpToTheLimit_ReadThrough_HoweverTheyAreChunked(string chunked)
    {
        var exceeded = 0;
        using var stream = new MessageSizeLimitStream(new ChunkedStream(chunked.Split('|')), Bytes, 3, _ => exceeded++);

        var text = await new StreamReader(stream).ReadToEndAsync();

        Assert.Equal(chunked.Replace("|", string.Empty, StringComparison.Ordinal), text);
        Assert.Equal(0, exceeded);
    }

    [Theory]
    [InlineData("[1,2,3,4]\n")]
    [InlineData("[1,2]\n|[[1],2,3]")]
    [InlineData("[\"a\\\",\",1,2|,3]")]
    // A line that ends inside a string does not leave the next one inside it.
    [InlineData("\"open\n|[1,2,3,4]\n")]
    [InlineData("\"open\\\n|[1,2,3,4]\n")]
    public async Task AMessageOverTheValueLimit_FailsTheRead_AndReportsIt(string chunked)
    {
        string? reported = null;
        using var stream = new MessageSizeLimitStream(new ChunkedStream(chunked.Split('|')), Bytes, 3, what => reported = what);

        var error = await Assert.ThrowsAsync<IOException>(() => new StreamReader(stream).ReadToEndAsync());

        Assert.Equal("the MCP server sent a message of more than 3 JSON values (McpToolOptions.MaxMessageValues)", error.Message);
        Assert.Equal("of more than 3 JSON values (McpToolOptions.MaxMessageValues)", reported);
    }

    [Theory]
    [InlineData(new[] { "0123456789\n" }, 10)]
    [InlineData(new[] { "01234", "56789\n0123", "456789\n" }, 10)]
    [InlineData(new[] { "0123\n01234567\n012345678", "9" }, 10)]
    [InlineData(new[] { "\n\n\n", "0123456789" }, 10)]
    public async Task LinesUpToTheLimit_ReadThrough_HoweverTheyAreChunked(string[] chunks, long limit)
    {
        var exceeded = 0;
        using var stream = new MessageSizeLimitStream(new ChunkedStream(chunks), limit, Values, _ => exceeded++);

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
        string? reported = null;
        using var stream = new MessageSizeLimitStream(new ChunkedStream(chunks), limit, Values, what => reported = what);

        var error = await Assert.ThrowsAsync<IOException>(() => new StreamReader(stream).ReadToEndAsync());

        Assert.Equal("the MCP server sent a message over the limit of 10 bytes (McpToolOptions.MaxMessageBytes)", error.Message);
        Assert.Equal("over the limit of 10 bytes (McpToolOptions.MaxMessageBytes)", reported);
    }

    [Fact]
    public void SyncReads_AreCountedToo()
    {
        using var stream = new MessageSizeLimitStream(new ChunkedStream(["0123456789", "0"]), 10, Values, _ => { });
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
