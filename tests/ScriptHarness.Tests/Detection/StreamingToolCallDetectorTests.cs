using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

public sealed class StreamingToolCallDetectorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DetectAsync_Channel_YieldsScriptBeforeStreamEnds()
    {
        var channel = Channel.CreateUnbounded<string>();
        await using var segments = StreamingToolCallDetector.DetectAsync(channel.Reader).GetAsyncEnumerator();

        await channel.Writer.WriteAsync("Reading.\n<tool-");
        await channel.Writer.WriteAsync("calls>return await tools.a();</tool");
        Assert.True(await segments.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("T:Reading.\n", Segments.Shape(segments.Current));

        var next = segments.MoveNextAsync().AsTask();
        await channel.Writer.WriteAsync("-calls> and then");
        Assert.True(await next.WaitAsync(Patience)); // the writer is still open
        Assert.Equal("S(Tag):return await tools.a();", Segments.Shape(segments.Current));

        var last = segments.MoveNextAsync().AsTask();
        Assert.False(last.IsCompleted); // the trailing prose may go on
        channel.Writer.Complete();
        Assert.True(await last.WaitAsync(Patience));
        Assert.Equal("T: and then", Segments.Shape(segments.Current));
        Assert.False(await segments.MoveNextAsync());
    }

    [Fact]
    public async Task DetectAsync_AsyncEnumerable_MatchesOneShot()
    {
        const string reply = "a <tool-calls>x()</tool-calls> b </tool-calls> ```js tool-calls\n<tool-calls>";

        var actual = await ToListAsync(StreamingToolCallDetector.DetectAsync(OneByOne(reply)));

        Assert.Equal(ToolCallDetector.Detect(reply), actual);
    }

    [Fact]
    public async Task DetectAsync_AsyncEnumerable_YieldsScriptBeforeSourceEnds()
    {
        var release = new TaskCompletionSource();
        await using var segments = StreamingToolCallDetector.DetectAsync(Gated(release.Task)).GetAsyncEnumerator();

        Assert.True(await segments.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("S(Tag):go()", Segments.Shape(segments.Current));

        release.SetResult();
        Assert.True(await segments.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("T:bye", Segments.Shape(segments.Current));
    }

    [Fact]
    public async Task DetectAsync_Cancelled_StopsWithCancellation()
    {
        var channel = Channel.CreateUnbounded<string>();
        using var cts = new CancellationTokenSource();
        await channel.Writer.WriteAsync("<tool-calls>x()</tool-calls>");
        await using var segments = StreamingToolCallDetector.DetectAsync(channel.Reader, cts.Token).GetAsyncEnumerator();
        Assert.True(await segments.MoveNextAsync());

        var pending = segments.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Patience));
    }

    [Fact]
    public async Task DetectAsync_EmptyStream_YieldsNothing()
    {
        var channel = Channel.CreateUnbounded<string>();
        channel.Writer.Complete();

        Assert.Empty(await ToListAsync(StreamingToolCallDetector.DetectAsync(channel.Reader)));
    }

    [Fact]
    public void DetectAsync_NullSource_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => StreamingToolCallDetector.DetectAsync((ChannelReader<string>)null!));
        Assert.Throws<ArgumentNullException>(() => StreamingToolCallDetector.DetectAsync((IAsyncEnumerable<string>)null!));
    }

    [Fact]
    public async Task DetectAsync_SourceThatIgnoresTheToken_StillStopsAtTheNextChunk()
    {
        // A chunk source need not watch the token it is given; the detector checks it itself before each chunk.
        using var cts = new CancellationTokenSource();
        await using var segments = StreamingToolCallDetector.DetectAsync(Deaf(), cts.Token).GetAsyncEnumerator();
        Assert.True(await segments.MoveNextAsync());
        Assert.Equal("S(Tag):a()", Segments.Shape(segments.Current));

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => segments.MoveNextAsync().AsTask().WaitAsync(Patience));
    }

    private static async IAsyncEnumerable<string> Deaf()
    {
        yield return "<tool-calls>a()</tool-calls>";
        await Task.Yield();
        yield return "<tool-calls>b()</tool-calls>";
    }

    private static async IAsyncEnumerable<string> OneByOne(string reply)
    {
        foreach (var c in reply)
        {
            await Task.Yield();
            yield return c.ToString();
        }
    }

    private static async IAsyncEnumerable<string> Gated(Task gate, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return "<tool-calls>go()</tool-";
        yield return "calls>";
        await gate.WaitAsync(cancellationToken);
        yield return "bye";
    }

    private static async Task<List<ReplySegment>> ToListAsync(IAsyncEnumerable<ReplySegment> source)
    {
        var list = new List<ReplySegment>();
        await foreach (var segment in source)
        {
            list.Add(segment);
        }

        return list;
    }
}
