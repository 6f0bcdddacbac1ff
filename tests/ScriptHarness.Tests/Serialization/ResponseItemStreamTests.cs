using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>
/// The public writers and readers of whole item sequences, at their edges: arguments checked at the call, an item
/// repaired after part of it was already written (the part is dropped, not kept in front of the repaired item), and a
/// stream cut inside a frame saying how much was left over.
/// </summary>
public sealed class ResponseItemStreamTests
{
    // Far past the writers' first buffer, so the part before the lone surrogate has reached the buffer when it fails.
    private static readonly string Big = new('b', 100_000);

    private static ScriptResultItem RepairedAfterALongStart(int index) =>
        new(index, ScriptOutcome.Ok(index, JsonNode.Parse($$"""{"big":"{{Big}}","s":"a\ud800b"}""")));

    [Fact]
    public void ToJsonLine_AnItemRepairedAfterPartOfItWasWritten_IsOneWholeLine()
    {
        var line = ResponseItemJson.ToJsonLine(RepairedAfterALongStart(3));

        Assert.StartsWith("""{"type":"script_result","index":3,""", line, StringComparison.Ordinal);
        var value = ((ScriptResultItem)ResponseItemJson.Parse(line)).Outcome.Value!;
        Assert.Equal(Big, value["big"]!.GetValue<string>());
        Assert.Equal("a\uFFFDb", value["s"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteJsonLinesAsync_AnItemRepairedAfterPartOfItWasWritten_IsOneWholeLineAmongTheOthers()
    {
        using var stream = new MemoryStream();

        await ResponseItemJson.WriteJsonLinesAsync(stream, AsyncItems.Of(SampleItems.Text(), RepairedAfterALongStart(1), SampleItems.Skipped()));

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Equal(ResponseItemJson.ToJsonLine(SampleItems.Text()), lines[0]);
        Assert.Equal(ResponseItemJson.ToJsonLine(RepairedAfterALongStart(1)), lines[1]);
        Assert.Equal(ResponseItemJson.ToJsonLine(SampleItems.Skipped()), lines[2]);
    }

    [Fact]
    public void Serialize_AnItemRepairedAfterPartOfItWasWritten_IsOneWholeFrame()
    {
        var bytes = ResponseItemMessagePack.Serialize(RepairedAfterALongStart(2));

        var value = ((ScriptResultItem)ResponseItemMessagePack.Deserialize(bytes)).Outcome.Value!;
        Assert.Equal(Big, value["big"]!.GetValue<string>());
        Assert.Equal("a\uFFFDb", value["s"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteFramesAsync_AnItemRepairedAfterPartOfItWasWritten_IsOneWholeFrameAmongTheOthers()
    {
        using var stream = new MemoryStream();

        await ResponseItemMessagePack.WriteFramesAsync(stream, AsyncItems.Of(SampleItems.Text(), RepairedAfterALongStart(1), SampleItems.Skipped()));

        stream.Position = 0;
        var read = await AsyncItems.ToListAsync(ResponseItemMessagePack.ReadFramesAsync(stream));
        Assert.Equal([0, 1, 3], read.Select(i => i.Index));
        Assert.Equal("a\uFFFDb", ((ScriptResultItem)read[1]).Outcome.Value!["s"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadFramesAsync_AStreamCutInsideAFrame_SaysHowManyBytesAreLeftOver()
    {
        var frame = ResponseItemMessagePack.Serialize(SampleItems.Ok());
        using var stream = new MemoryStream(frame.AsSpan(0, 10).ToArray());

        var ex = await Assert.ThrowsAsync<FormatException>(() => AsyncItems.ToListAsync(ResponseItemMessagePack.ReadFramesAsync(stream)));

        Assert.Equal("The stream ended inside a frame (10 bytes left over).", ex.Message);
    }

    [Fact]
    public async Task TheWritersAndReaders_CheckTheirArgumentsAtTheCall()
    {
        using var stream = new MemoryStream();
        var items = AsyncItems.Of(SampleItems.Text());

        Assert.Throws<ArgumentNullException>(() => ResponseItemJson.ToJsonLine(null!));
        Assert.Throws<ArgumentNullException>(() => ResponseItemJson.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => ResponseItemMessagePack.Serialize(null!));
        Assert.Throws<ArgumentNullException>(() => ResponseItemMessagePack.ReadFramesAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResponseItemJson.WriteJsonLinesAsync(null!, items));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResponseItemJson.WriteJsonLinesAsync(stream, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResponseItemMessagePack.WriteFramesAsync(null!, items));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResponseItemMessagePack.WriteFramesAsync(stream, null!));
    }

    [Fact]
    public async Task ANullItemInTheSequence_IsRefused_AfterTheItemsBeforeIt()
    {
        using var json = new MemoryStream();
        using var frames = new MemoryStream();

        await Assert.ThrowsAsync<ArgumentNullException>(() => ResponseItemJson.WriteJsonLinesAsync(json, AsyncItems.Of(SampleItems.Text(), null!)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResponseItemMessagePack.WriteFramesAsync(frames, AsyncItems.Of(SampleItems.Text(), null!)));

        Assert.Equal(ResponseItemJson.ToJsonLine(SampleItems.Text()) + "\n", Encoding.UTF8.GetString(json.ToArray()));
        Assert.Equal(ResponseItemMessagePack.Serialize(SampleItems.Text()), frames.ToArray());
    }
}
