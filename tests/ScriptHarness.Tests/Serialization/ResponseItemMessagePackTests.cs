using System.Text.Json.Nodes;
using MessagePack;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

public sealed partial class ResponseItemMessagePackTests
{
    private const string MinimalScript =
        """{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""";

    public static TheoryData<string> SampleNames => new(SampleItems.Names);

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Deserialize_BytesOfSample_RoundTripsEveryField(string sample)
    {
        ResponseItem item = SampleItems.Get(sample);

        ResponseItem read = ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item));

        ResponseItemAssert.Equivalent(item, read);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Serialize_Sample_IsTheJsonLineAsAMap(string sample)
    {
        ResponseItem item = SampleItems.Get(sample);

        JsonNode? asMap = MessagePackBytes.ToJson(ResponseItemMessagePack.Serialize(item));

        // Same keys, same order, same omissions, same values.
        ResponseItemAssert.JsonEqual(JsonNode.Parse(ResponseItemJson.ToJsonLine(item)), asMap);
    }

    [Theory]
    [InlineData("""{"a":{"b":{"c":[1,[2,[3]]]}}}""", """{"a":{"b":{"c":[1,[2,[3]]]}}}""")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("9007199254740993", "9007199254740993")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("123456789012345678901234567890", "1.2345678901234568E+29")]
    [InlineData("0.1", "0.1")]
    [InlineData("-2.25", "-2.25")]
    [InlineData("1.5e300", "1.5E+300")]
    [InlineData("3.0", "3")]
    [InlineData("1e3", "1000")]
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    [InlineData("""[[],{},[{}]]""", """[[],{},[{}]]""")]
    [InlineData("""[true,false,null,"",0]""", """[true,false,null,"",0]""")]
    [InlineData("\"text\"", "\"text\"")]
    public void Deserialize_ScriptValue_RoundTripsAsJson(string value, string expected)
    {
        ResponseItem read = ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(SampleItems.WithValue(JsonNode.Parse(value))));

        ResponseItemAssert.JsonEqual(JsonNode.Parse(expected), ((ScriptResultItem)read).Outcome.Value);
    }

    [Fact]
    public void Deserialize_UnicodeStrings_RoundTripExactly()
    {
        const string text = "héllo 日本 😀 \u0000 \u2028 \"q\" <b>";
        var value = new JsonObject { [text] = text };

        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(SampleItems.WithValue(value)));

        Assert.Equal(text, read.Outcome.Value![text]!.GetValue<string>());
        Assert.Equal(text, ((TextItem)ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(new TextItem(0, text)))).Text);
    }

    [Fact]
    public void Deserialize_ValueAtDepthLimit_RoundTrips()
    {
        JsonNode value = SampleItems.NestedArrays(63);

        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(SampleItems.WithValue(value)));

        ResponseItemAssert.JsonEqual(value, read.Outcome.Value);
    }

    [Fact]
    public void Serialize_ValueNestedTooDeep_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ResponseItemMessagePack.Serialize(SampleItems.WithValue(SampleItems.NestedArrays(64))));
    }

    [Fact]
    public void Serialize_ValueBuiltFromClrValues_ConvertsThroughTheirJson()
    {
        var value = new JsonObject { ["n"] = 42, ["d"] = 2.5, ["whole"] = 4.0, ["s"] = "x", ["b"] = true, ["g"] = Guid.Empty };

        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(SampleItems.WithValue(value)));

        ResponseItemAssert.JsonEqual(
            JsonNode.Parse("""{"n":42,"d":2.5,"whole":4,"s":"x","b":true,"g":"00000000-0000-0000-0000-000000000000"}"""),
            read.Outcome.Value);
    }

    [Theory]
    [InlineData("42", "2A")]
    [InlineData("-1", "FF")]
    [InlineData("1e3", "CD03E8")]
    [InlineData("2.0", "02")]
    [InlineData("2.5", "CB4004000000000000")]
    [InlineData("18446744073709551615", "CFFFFFFFFFFFFFFFFF")]
    [InlineData("-9.223372036854775808e18", "D38000000000000000")] // -2^63 written as a float: the least int64
    [InlineData("9.223372036854775808e18", "CB43E0000000000000")] // 2^63: past int64, stays a float64
    [InlineData("[]", "90")]
    [InlineData("{}", "80")]
    [InlineData("null", "C0")]
    public void JsonNodeWriter_Numbers_AreIntegersWhenIntegralElseFloat64(string json, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(MessagePackBytes.FromJson(json)));
    }

    [Fact]
    public void JsonNodeWriter_AClrObjectInAValue_IsWrittenAsItsJson()
    {
        // A handler may put a CLR object in a JsonValue: it travels as the JSON System.Text.Json writes for it.
        var value = JsonValue.Create(new Dictionary<string, object?> { ["a"] = new object?[] { 1, null, "x", true }, ["c"] = new Dictionary<string, int>() });

        byte[] bytes = MessagePackBytes.Write((ref MessagePackWriter w) => JsonNodeMessagePack.Write(ref w, value));

        Assert.Equal(Convert.ToHexString(MessagePackBytes.FromJson("""{"a":[1,null,"x",true],"c":{}}""")), Convert.ToHexString(bytes));
    }

    [Fact]
    public void JsonNodeWriter_ClrDoubleWithIntegralValue_IsWrittenAsInteger()
    {
        byte[] bytes = MessagePackBytes.Write((ref MessagePackWriter w) => JsonNodeMessagePack.Write(ref w, JsonValue.Create(3.0)));

        Assert.Equal("03", Convert.ToHexString(bytes));
    }

    [Fact]
    public async Task ReadFramesAsync_FramesWrittenByWriteFramesAsync_ReadBackInOrder()
    {
        ResponseItem[] items = [SampleItems.Text(), SampleItems.Ok(), SampleItems.Error(), SampleItems.Skipped()];
        using var stream = new FlushRecordingStream();

        await ResponseItemMessagePack.WriteFramesAsync(stream, AsyncItems.Of(items));
        stream.Position = 0;
        List<ResponseItem> read = await AsyncItems.ToListAsync(ResponseItemMessagePack.ReadFramesAsync(stream));

        Assert.Equal(items.Length, read.Count);
        for (int i = 0; i < items.Length; i++)
        {
            ResponseItemAssert.Equivalent(items[i], read[i]);
        }

        long total = 0;
        Assert.Equal(items.Select(i => total += ResponseItemMessagePack.Serialize(i).Length), stream.LengthAtFlush);
        Assert.True(stream.CanRead, "the stream is left open");
    }

    [Fact]
    public async Task ReadFramesAsync_EmptyStream_YieldsNothing()
    {
        using var stream = new MemoryStream();

        Assert.Empty(await AsyncItems.ToListAsync(ResponseItemMessagePack.ReadFramesAsync(stream)));
    }

    [Fact]
    public async Task ReadFramesAsync_StreamCutInsideLastFrame_YieldsCompleteFramesThenThrowsFormatException()
    {
        byte[] bytes = [.. ResponseItemMessagePack.Serialize(SampleItems.Text()), .. ResponseItemMessagePack.Serialize(SampleItems.Ok())];
        using var stream = new MemoryStream(bytes[..^1]);
        var read = new List<ResponseItem>();

        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (ResponseItem item in ResponseItemMessagePack.ReadFramesAsync(stream))
            {
                read.Add(item);
            }
        });
        Assert.Equal([0], read.Select(i => i.Index));
    }

    [Fact]
    public async Task ReadFramesAsync_MalformedFrame_ThrowsFormatException()
    {
        byte[] bytes = [.. ResponseItemMessagePack.Serialize(SampleItems.Text()), .. MessagePackBytes.FromJson("""{"type":"image","index":1}""")];
        using var stream = new MemoryStream(bytes);

        await Assert.ThrowsAsync<FormatException>(() => AsyncItems.ToListAsync(ResponseItemMessagePack.ReadFramesAsync(stream)));
    }

    [Theory]
    [InlineData("""{"index":0,"text":"x"}""")]
    [InlineData("""{"type":"image","index":0}""")]
    [InlineData("""{"type":"text","index":0}""")]
    [InlineData("""{"type":"text","index":0,"text":null}""")]
    [InlineData("""{"type":"text","index":"0","text":"x"}""")]
    [InlineData("""{"type":"text","index":2.5,"text":"x"}""")]
    [InlineData("""{"type":"text","index":4294967295,"text":"x"}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"done","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"error","value":null,"error":{"code":"kaboom","message":"m"},"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"error","value":null,"error":{"message":"m"},"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[{"level":"fatal","message":"m"}],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","error":null,"toolCalls":0,"durationMs":1,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":null,"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1,"logs":[null],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":1e300,"logs":[],"warnings":[]}""")]
    [InlineData("""{"type":"script_result","index":1,"status":"ok","value":null,"error":null,"toolCalls":0,"durationMs":"1","logs":[],"warnings":[]}""")]
    public void Deserialize_MapBreakingTheContract_ThrowsFormatException(string json)
    {
        byte[] bytes = MessagePackBytes.FromJson(json);

        Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(bytes));
    }

    [Fact]
    public void Deserialize_UnknownKeys_AreSkipped()
    {
        byte[] bytes = MessagePackBytes.FromJson(MinimalScript.Replace("\"toolCalls\":0", "\"toolCalls\":0,\"future\":{\"x\":[1,{}]}", StringComparison.Ordinal));

        Assert.Equal(1, ResponseItemMessagePack.Deserialize(bytes).Index);
    }

    [Fact]
    public void Deserialize_IntegerDuration_IsAccepted()
    {
        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(MinimalScript.Replace("\"durationMs\":1", "\"durationMs\":7", StringComparison.Ordinal)));

        Assert.Equal(TimeSpan.FromMilliseconds(7), read.Outcome.Duration);
    }

    public static TheoryData<string, byte[], string> MalformedBytes => new()
    {
        { "empty", [], "past the end" },
        { "nil instead of a map", [0xC0], "nil" },
        { "integer map key", [0x81, 0x01, 0x02], "string map key" },
        { "map header promising more than there is", [0xDF, 0x7F, 0xFF, 0xFF, 0xFF], "past the end" },
        { "array header promising more than there is", [0x81, 0xA1, 0x78, 0xDD, 0x7F, 0xFF, 0xFF, 0xFF], "past the end" },
        { "trailing bytes", [.. ResponseItemMessagePack.Serialize(SampleItems.Text()), 0xC0], "after the response item" },
        { "truncated", ResponseItemMessagePack.Serialize(SampleItems.Ok())[..^3], "past the end" },
        { "binary value", Script((ref MessagePackWriter w) => w.Write(new byte[] { 1, 2 })), "Binary has no JSON" },
        { "extension value", Script((ref MessagePackWriter w) => { w.WriteExtensionFormatHeader(new ExtensionHeader(5, 1)); w.WriteRaw(new byte[] { 0 }); }), "Extension has no JSON" },
        { "NaN float in value", Script((ref MessagePackWriter w) => w.Write(double.NaN)), "NaN has no JSON" },
        { "value nested 64 deep, one past the limit", Script((ref MessagePackWriter w) => { for (int i = 0; i < 64; i++) { w.WriteArrayHeader(1); } w.WriteNil(); }), "deeper than 64" },
        { "value nested 70 deep", Script((ref MessagePackWriter w) => { for (int i = 0; i < 70; i++) { w.WriteArrayHeader(1); } w.WriteNil(); }), "deeper than 64" },
        { "value map with a duplicate key", Script((ref MessagePackWriter w) => { w.WriteMapHeader(2); w.Write("a"); w.Write(1); w.Write("a"); w.Write(2); }), "'a' appears twice" },
        { "value map with an integer key", Script((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write(1); w.Write(1); }), "string map key" },
        { "value nested in maps 64 deep, one past the limit", Script((ref MessagePackWriter w) => { for (int i = 0; i < 64; i++) { w.WriteMapHeader(1); w.Write("k"); } w.WriteNil(); }), "deeper than 64" },
        { "unknown key nested in maps 70 deep", Item(1, (ref MessagePackWriter w) => { w.Write("future"); for (int i = 0; i < 70; i++) { w.WriteMapHeader(1); w.Write("k"); } w.WriteNil(); }), "deeper than 64" },
        { "number extension holding a string", Script((ref MessagePackWriter w) => w.WriteExtensionFormat(new ExtensionResult(1, "\"1\""u8.ToArray()))), "must hold one JSON number" },
        { "number extension holding no JSON", Script((ref MessagePackWriter w) => w.WriteExtensionFormat(new ExtensionResult(1, "1e"u8.ToArray()))), "must hold one JSON number" },
        { "unknown key nested 70 deep", Item(1, (ref MessagePackWriter w) => { w.Write("future"); for (int i = 0; i < 70; i++) { w.WriteArrayHeader(1); } w.WriteNil(); }), "deeper than 64" },
        { "duplicate item key", Item(1, (ref MessagePackWriter w) => { w.Write("index"); w.Write(2); }), "'index' appears twice" },
        { "NaN duration", Item(1, (ref MessagePackWriter w) => { w.Write("durationMs"); w.Write(double.NaN); }, skip: "durationMs"), "not a valid duration" },
        { "log level nil", Item(1, (ref MessagePackWriter w) => { w.Write("logs"); w.WriteArrayHeader(1); w.WriteMapHeader(2); w.Write("level"); w.WriteNil(); w.Write("message"); w.Write("m"); }, skip: "logs"), "found nil" },
    };

    [Theory]
    [MemberData(nameof(MalformedBytes))]
    public void Deserialize_MalformedBytes_ThrowsFormatExceptionForThatReason(string why, byte[] bytes, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(bytes));
        Assert.True(error.Message.Contains(reason, StringComparison.Ordinal), $"{why}: '{error.Message}' does not say '{reason}'");
    }

    [Fact]
    public void Deserialize_RandomlyCorruptedBytes_ReadsOrThrowsFormatExceptionOnly()
    {
        // Seeded so a failure reproduces; every corruption must be either readable or a FormatException.
        var random = new Random(20240611);
        byte[][] valid = [.. SampleItems.Names.Select(n => ResponseItemMessagePack.Serialize(SampleItems.Get(n)))];
        for (int round = 0; round < 5000; round++)
        {
            byte[] bytes = (byte[])valid[round % valid.Length].Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            bytes = bytes[..random.Next(1, bytes.Length + 1)];
            try
            {
                ResponseItemMessagePack.Deserialize(bytes);
            }
            catch (FormatException)
            {
                // Expected for most corruptions.
            }
        }
    }

    [Fact]
    public void Deserialize_RandomBytes_ThrowFormatExceptionOnly()
    {
        var random = new Random(7);
        for (int round = 0; round < 2000; round++)
        {
            byte[] bytes = new byte[random.Next(0, 48)];
            random.NextBytes(bytes);
            try
            {
                ResponseItemMessagePack.Deserialize(bytes);
            }
            catch (FormatException)
            {
                // Expected.
            }
        }
    }

    // A valid minimal script map whose value is written by the body.
    private static byte[] Script(MessagePackBytes.Body value) =>
        Item(1, (ref MessagePackWriter w) => { w.Write("value"); value(ref w); }, skip: "value");

    // A valid minimal script map, minus the key named by skip, followed by the extra entries the body writes.
    private static byte[] Item(int extraEntries, MessagePackBytes.Body extra, string? skip = null) => MessagePackBytes.Write((ref MessagePackWriter w) =>
    {
        var baseline = (JsonObject)JsonNode.Parse(MinimalScript)!;
        if (skip is not null)
        {
            Assert.True(baseline.Remove(skip));
        }

        w.WriteMapHeader(baseline.Count + extraEntries);
        foreach (KeyValuePair<string, JsonNode?> property in baseline)
        {
            w.Write(property.Key);
            JsonNodeMessagePack.Write(ref w, property.Value);
        }

        extra(ref w);
    });
}
