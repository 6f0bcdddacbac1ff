using System.Text.Json.Nodes;
using MessagePack;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

// Every optional key as nil, a suspended script's frame, unknown keys inside the small maps, and the exact words of a
// frame that breaks the contract.
public sealed partial class ResponseItemMessagePackTests
{
    private const string Suspended =
        """{"type":"script_result","index":4,"status":"suspended","value":null,"error":null,"toolCalls":1,"durationMs":2,"logs":[],"warnings":[],"suspension":{"token":"tok-1","callId":"t/s4#1","tool":"t.guarded","arguments":{"path":"a.txt","n":[1,2]}}}""";

    [Fact]
    public void Deserialize_EveryOptionalKeyAsNil_ReadsAsAbsent()
    {
        var json = MinimalScript.Replace("\"logs\":[]", """
            "logs":[],"calls":null,"partialResults":null,"partialResultsTruncated":null,"droppedLogs":null,"droppedProgress":null,"sha256":null,"suspension":null
            """.Trim(), StringComparison.Ordinal);

        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json));

        Assert.Equal(ResponseItemJson.ToJsonLine(ResponseItemJson.Parse(json)), ResponseItemJson.ToJsonLine(read));
        Assert.Empty(read.Outcome.Calls);
        Assert.Equal(0, read.Outcome.DroppedLogs);
        Assert.Null(read.Outcome.Sha256);
        Assert.Null(read.Outcome.Suspension);
    }

    [Fact]
    public void Deserialize_OptionalKeysWithValues_AreRead()
    {
        var json = MinimalScript.Replace("\"logs\":[]", "\"logs\":[],\"droppedLogs\":3,\"droppedProgress\":4,\"sha256\":\"ab\"", StringComparison.Ordinal);

        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json));

        Assert.Equal(3, read.Outcome.DroppedLogs);
        Assert.Equal(4, read.Outcome.DroppedProgress);
        Assert.Equal("ab", read.Outcome.Sha256);
    }

    [Fact]
    public void Deserialize_AnErrorWithNilCodeLineColumnAndStack_IsRefusedForItsCodeOnly()
    {
        // Nil is read as absent for each: the line, column and stack are optional, the code is not.
        var json = MinimalScript.Replace("\"status\":\"ok\"", "\"status\":\"error\"", StringComparison.Ordinal)
            .Replace(",\"error\":null", ""","error":{"code":null,"message":"m","retryable":false,"line":null,"column":null,"stack":null}""", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json)));

        Assert.Equal("The required key 'code' is missing.", error.Message);
    }

    [Fact]
    public void Deserialize_AWarningWithNilLineColumnAndStack_ReadsThemAsAbsent()
    {
        var json = MinimalScript.Replace(",\"warnings\":[]", ""","warnings":[{"code":"detached_promise","message":"m","line":null,"column":null,"stack":null}]""", StringComparison.Ordinal);

        var warning = Assert.Single(((ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json))).Outcome.Warnings);

        Assert.Equal(ScriptErrorCode.DetachedPromise, warning.Code);
        Assert.Null(warning.Line);
        Assert.Null(warning.Column);
        Assert.Null(warning.Stack);
    }

    [Fact]
    public void Deserialize_AWarningWithItsPlace_ReadsIt()
    {
        var json = MinimalScript.Replace(",\"warnings\":[]", ""","warnings":[{"code":"detached_promise","message":"m","line":3,"column":4,"stack":"    at 3:4"}]""", StringComparison.Ordinal);

        var warning = Assert.Single(((ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json))).Outcome.Warnings);

        Assert.Equal((3, 4, "    at 3:4"), (warning.Line, warning.Column, warning.Stack));
    }

    [Fact]
    public void Deserialize_UnknownKeysInsideALogEntry_AreSkippedWhole()
    {
        var json = MinimalScript.Replace(",\"logs\":[]", ""","logs":[{"future":{"a":[1,{"b":2}]},"level":"info","message":"m","later":[3]}]""", StringComparison.Ordinal);

        var log = Assert.Single(((ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json))).Outcome.Logs);

        Assert.Equal("m", log.Message);
    }

    [Fact]
    public void Deserialize_ASuspendedScript_ReadsItsSuspension()
    {
        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(Suspended));

        Assert.Equal(ScriptStatus.Suspended, read.Outcome.Status);
        var suspension = read.Outcome.Suspension!;
        Assert.Equal(("tok-1", "t/s4#1", "t.guarded"), (suspension.Token, suspension.CallId, suspension.Tool));
        Assert.Equal("""{"path":"a.txt","n":[1,2]}""", suspension.Arguments!.ToJsonString());
    }

    [Fact]
    public void Serialize_ASuspendedScript_RoundTrips()
    {
        var item = ResponseItemJson.Parse(Suspended);

        var read = ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item));

        Assert.Equal(ResponseItemJson.ToJsonLine(item), ResponseItemJson.ToJsonLine(read));
    }

    [Fact]
    public void Deserialize_ASuspensionWithUnknownKeysAndNoArguments_SkipsThem()
    {
        var json = Suspended.Replace(""","arguments":{"path":"a.txt","n":[1,2]}""", ""","future":{"x":[{}]}""", StringComparison.Ordinal);

        var suspension = ((ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json))).Outcome.Suspension!;

        Assert.Equal("t.guarded", suspension.Tool);
        Assert.Null(suspension.Arguments);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("callId")]
    [InlineData("tool")]
    public void Deserialize_ASuspensionWithoutARequiredKey_IsRefusedNamingIt(string key)
    {
        var suspended = (JsonObject)JsonNode.Parse(Suspended)!;
        Assert.True(((JsonObject)suspended["suspension"]!).Remove(key));

        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(suspended.ToJsonString())));

        Assert.Equal($"The required key '{key}' is missing.", error.Message);
    }

    [Fact]
    public void Deserialize_ASuspensionWithAKeyTwice_IsRefused()
    {
        var bytes = Item(1, (ref MessagePackWriter w) =>
        {
            WriteSuspensionRequiredKeys(ref w, entries: 4);
            w.Write("token");
            w.Write("b");
        });

        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(bytes));

        Assert.Contains("'token' appears twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arguments", 62, true)]
    [InlineData("arguments", 63, false)]
    [InlineData("future", 62, true)]
    [InlineData("future", 63, false)]
    public void Deserialize_ASuspensionsValues_AreHeldToTheDepthLimitAtTheirLevel(string key, int arrays, bool readable)
    {
        // The suspension's values sit at level 3 of the frame (item map, suspension map, value): 64 levels in all.
        var bytes = Item(1, (ref MessagePackWriter w) =>
        {
            WriteSuspensionRequiredKeys(ref w, entries: 4);
            w.Write(key);
            for (var i = 0; i < arrays; i++)
            {
                w.WriteArrayHeader(1);
            }

            w.WriteNil();
        });

        var error = Record.Exception(() => ResponseItemMessagePack.Deserialize(bytes));

        if (readable)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains("deeper than 64", Assert.IsType<FormatException>(error).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Deserialize_AScriptResultWithoutItsErrorKey_IsRefusedNamingIt()
    {
        var json = MinimalScript.Replace(",\"error\":null", string.Empty, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json)));

        Assert.Equal("The required key 'error' is missing.", error.Message);
    }

    [Fact]
    public void Deserialize_AScriptResultWithoutItsValueKey_IsRefusedNamingIt()
    {
        var json = MinimalScript.Replace("\"value\":null,", string.Empty, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(json)));

        Assert.Equal("The required key 'value' is missing.", error.Message);
    }

    [Fact]
    public void Deserialize_AnUnknownType_IsRefusedNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson("""{"type":"image","index":0}""")));

        Assert.Equal("Unknown response item type 'image'.", error.Message);
    }

    [Fact]
    public void Deserialize_AFloatDuration_IsRead()
    {
        var read = (ScriptResultItem)ResponseItemMessagePack.Deserialize(MessagePackBytes.FromJson(MinimalScript.Replace("\"durationMs\":1", "\"durationMs\":2.5", StringComparison.Ordinal)));

        Assert.Equal(TimeSpan.FromMilliseconds(2.5), read.Outcome.Duration);
    }

    // The item's "suspension" key and a map of the given size opening with its three required entries.
    private static void WriteSuspensionRequiredKeys(ref MessagePackWriter w, int entries)
    {
        w.Write("suspension");
        w.WriteMapHeader(entries);
        w.Write("token");
        w.Write("a");
        w.Write("callId");
        w.Write("c");
        w.Write("tool");
        w.Write("t");
    }
}
