using System.Buffers.Binary;
using ScriptHarness.Context;
using ScriptHarness.Engines.Process.Protocol;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>The worker protocol's bytes: every frame reads back as itself; anything off the schema is refused.</summary>
public sealed class FrameCodecTests
{
    private static readonly PreparedScript Script = new(
        new ParsedScript("return 1;", new string('a', 64)) { SizeBytes = 9 },
        new ScriptContext { ConversationId = "c", SessionId = "s", TurnId = "t", ScriptId = "t/s1", Mode = ToolMode.DryRun, Limits = new ScriptLimits { Timeout = TimeSpan.FromSeconds(3), MaxToolCalls = 7 } });

    private static readonly Frame[] All =
    [
        new ReadyFrame(42, "v8"),
        new RunFrame(Script, ["t.echo", "files.read"]),
        new RunFrame(Script, [], MayPoll: false),
        new ToolCallFrame(5, "t.echo", "{\"n\":1}"),
        new ToolCallFrame(6, "t.echo", null),
        new ToolResultFrame(5, "[1,2]", null, null),
        new ToolResultFrame(6, null, "tool_execution_failed", "it failed"),
        new ToolResultFrame(7, "1", null, null, MayPoll: false),
        new LogFrame(3, "warned"),
        new ProgressFrame("half way"),
        new ApprovalWaitFrame(TimeSpan.FromMilliseconds(1500), true),
        CancelFrame.Instance,
        new OutcomeFrame("{\"a\":1}", null, null, null, null, null, TimeSpan.FromMilliseconds(3), false),
        new OutcomeFrame(null, "runtime_error", "TypeError: x", 2, 5, "at f (2:5)", TimeSpan.FromMilliseconds(4), true),
        new HeartbeatFrame(123_456_789),
    ];

    public static TheoryData<int> Frames => [.. Enumerable.Range(0, All.Length)];

    [Theory]
    [MemberData(nameof(Frames))]
    public void EveryFrame_ReadsBackAsItself(int index)
    {
        var frame = All[index];
        using var stream = new MemoryStream(FrameCodec.Encode(frame));
        var reader = new FrameReader(stream, 1024 * 1024);
        var back = reader.Read();
        if (frame is RunFrame run)
        {
            var r = Assert.IsType<RunFrame>(back);
            Assert.Equal(run.Script, r.Script with { Context = r.Script.Context });
            Assert.Equal(run.Script.Context.Limits, r.Script.Context.Limits);
            Assert.Equal(run.Script.Context.Mode, r.Script.Context.Mode);
            Assert.Equal(run.ToolNames, r.ToolNames);
            Assert.Equal(run.MayPoll, r.MayPoll);
        }
        else
        {
            Assert.Equal(frame, back);
        }

        Assert.Null(reader.Read());
    }

    [Fact]
    public void FramesThatArrivedTogether_AreReadOnce_AndTheReaderSaysWhatItStillHolds()
    {
        using var stream = new MemoryStream([.. FrameCodec.Encode(new LogFrame(1, "a")), .. FrameCodec.Encode(CancelFrame.Instance)]);
        var reader = new FrameReader(stream, 1024 * 1024);
        Assert.False(reader.HasBuffered);

        Assert.Equal(new LogFrame(1, "a"), reader.Read());
        Assert.True(reader.HasBuffered); // the cancel came in the same read: the next one needs no pipe
        Assert.Equal(CancelFrame.Instance, reader.Read());
        Assert.False(reader.HasBuffered);
        Assert.Null(reader.Read());
    }

    [Theory]
    [InlineData(new byte[] { 0xc1 })]                   // never-used MessagePack byte
    [InlineData(new byte[] { 0x90 })]                   // an empty array: no type
    [InlineData(new byte[] { 0x91, 0x63 })]             // unknown type 99
    [InlineData(new byte[] { 0x92, 0x08, 0x01 })]       // an outcome with one field instead of eight
    [InlineData(new byte[] { 0x91, 0x07, 0x00 })]       // a cancel with a byte after its end
    [InlineData(new byte[] { 0x94, 0x02, 0x00, 0xa1, 0x78, 0xc0 })] // a tool call with id 0
    [InlineData(new byte[] { 0x93, 0x04, 0x09, 0xa1, 0x78 })]       // log level 9
    [InlineData(new byte[] { 0x92, 0x09, 0xff })]       // negative resident bytes
    [InlineData(new byte[] { 0x93, 0x00, 0x01, 0x05 })] // ready with a number for the engine
    public void Decode_OffSchema_IsAFrameException(byte[] payload) =>
        Assert.Throws<FrameException>(() => FrameCodec.Decode(payload));

    [Fact]
    public void Read_LengthOverTheCap_IsAFrameException()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 2 * 1024 * 1024);
        Assert.Throws<FrameException>(() => new FrameReader(new MemoryStream(bytes), 1024 * 1024).Read());
    }

    [Fact]
    public void Read_StreamEndingInsideAFrame_IsAFrameException()
    {
        var bytes = FrameCodec.Encode(new ProgressFrame("cut short"))[..^2];
        Assert.Throws<FrameException>(() => new FrameReader(new MemoryStream(bytes), 1024 * 1024).Read());
    }

    [Fact]
    public void Read_StreamEndingInsideAHeader_IsAFrameException()
    {
        var bytes = FrameCodec.Encode(new ProgressFrame("first")).Concat(new byte[] { 0, 0 }).ToArray();
        var reader = new FrameReader(new MemoryStream(bytes), 1024 * 1024);
        Assert.Equal(new ProgressFrame("first"), reader.Read());
        Assert.Throws<FrameException>(() => reader.Read());
    }

    [Fact]
    public void Read_FramesArrivingTogether_OrOneByteAtATime_ReadBackInOrder()
    {
        // One pipe read may hold many frames, or a piece of one: the reader's buffer must not care where reads split.
        var frames = Enumerable.Range(1, 10_000).Select(i => (Frame)new ToolCallFrame(i, "t.echo", $"{{\"i\":{i}}}")).ToArray();
        var bytes = frames.SelectMany(FrameCodec.Encode).ToArray();
        Assert.True(bytes.Length > 2 * FrameReader.BufferBytes);
        foreach (var stream in new Stream[] { new MemoryStream(bytes), new TrickleStream(bytes, 1), new TrickleStream(bytes, 4093) })
        {
            var reader = new FrameReader(stream, 1024 * 1024);
            Assert.Equal(frames, Enumerable.Range(0, frames.Length).Select(_ => reader.Read()));
            Assert.Null(reader.Read());
        }
    }

    [Fact]
    public void Read_FrameLargerThanTheReadersBuffer_ReadsWhole_AndTheNextFrameAfterIt()
    {
        var large = new ProgressFrame(new string('x', (3 * FrameReader.BufferBytes) + 17));
        var bytes = FrameCodec.Encode(new LogFrame(1, "before")).Concat(FrameCodec.Encode(large)).Concat(FrameCodec.Encode(new LogFrame(2, "after"))).ToArray();
        foreach (var stream in new Stream[] { new MemoryStream(bytes), new TrickleStream(bytes, 1000) })
        {
            var reader = new FrameReader(stream, 1024 * 1024);
            Assert.Equal(new LogFrame(1, "before"), reader.Read());
            Assert.Equal(large, reader.Read());
            Assert.Equal(new LogFrame(2, "after"), reader.Read());
            Assert.Null(reader.Read());
        }
    }

    [Fact]
    public void Decode_RunWithInvalidLimits_IsAFrameException()
    {
        var bytes = FrameCodec.Encode(new RunFrame(Script with { Context = Script.Context with { Limits = new ScriptLimits { MaxRecursionDepth = 1 } } }, []));
        Assert.Throws<FrameException>(() => FrameCodec.Decode(bytes.AsMemory(FrameCodec.HeaderBytes)));
    }

    [Fact]
    public void WireJson_LoneSurrogateEscapeInParsedJson_CrossesAsReplacementCharacter()
    {
        // Regression (TOOL-071/072 in Process isolation): an escape parsed from JSON text fails to write with a JsonException.
        var text = WireJson.Text(System.Text.Json.Nodes.JsonNode.Parse("{\"s\":\"a\\ud800b\",\"list\":[\"\\udc00\"]}"));
        Assert.Equal("a\uFFFDb", WireJson.Parse(text)!["s"]!.GetValue<string>());
        Assert.Equal("\uFFFD", WireJson.Parse(text)!["list"]![0]!.GetValue<string>());
    }

    [Fact]
    public void WireJson_LoneSurrogate_CrossesAsReplacementCharacter()
    {
        var text = WireJson.Text(new System.Text.Json.Nodes.JsonObject { ["k\ud800"] = "a\udc00b" });
        Assert.Equal("{\"k\uFFFD\":\"a\uFFFDb\"}", WireJson.Parse(text)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>A stream that returns at most <paramref name="chunk"/> bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
