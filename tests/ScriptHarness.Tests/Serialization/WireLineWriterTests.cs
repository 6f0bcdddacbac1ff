using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Serialization;

/// <summary>The hand-written wire writer writes the very bytes the source-generated metadata (which still reads them) writes.</summary>
[Properties(Arbitrary = new[] { typeof(ScriptString) }, MaxTest = 200)]
public sealed class WireLineWriterTests
{
    public static TheoryData<string> Samples => [.. SampleItems.Names];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Write_EverySampleShape_IsTheSerializersBytes(string name) => AssertSameBytes(SampleItems.Get(name));

    [Fact]
    public void Write_SuspendedScriptWithEveryOptionalField_IsTheSerializersBytes()
    {
        var outcome = ScriptOutcome.Failed(4, new ScriptError(ScriptErrorCode.ApprovalDenied, "waiting") { Line = 1, Column = 2, Stack = "at 1:2" }) with
        {
            Duration = TimeSpan.FromTicks(1),
            DroppedLogs = 1,
            DroppedProgress = 2,
            Sha256 = "ab",
            Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, "w") { Line = 3 }],
            Suspension = new ScriptSuspension("tok", "c#1", "files.write", JsonNode.Parse("""{"path":"a","n":[1,null]}""")),
            Calls = [new ToolCallRecord("c#1", "files.write", ToolCallStatus.Suspended, TimeSpan.Zero)],
        };
        AssertSameBytes(new ScriptResultItem(4, outcome));
        AssertSameBytes(new ScriptResultItem(5, outcome with { Suspension = new ScriptSuspension("t", "c", "x", null), Value = JsonValue.Create(1.5) }));
    }

    [Property]
    public void Write_AnyTextInEveryStringField_IsTheSerializersBytes(ScriptString text)
    {
        var s = text.Value;
        var outcome = ScriptOutcome.Failed(0, new ScriptError(ScriptErrorCode.RuntimeError, s) { Stack = s }) with
        {
            Value = JsonValue.Create(s),
            Logs = [new LogEntry(LogLevel.Debug, s)],
            Warnings = [new ScriptError(ScriptErrorCode.DetachedPromise, s) { Stack = s }],
            Calls = [new ToolCallRecord(s, s, ToolCallStatus.Succeeded, TimeSpan.FromMilliseconds(s.Length)) { Result = JsonValue.Create(s) }],
            Sha256 = s,
        };
        AssertSameBytes(new ScriptResultItem(0, outcome));
        AssertSameBytes(new TextItem(1, s));
    }

    private static void AssertSameBytes(ResponseItem item)
    {
        item = WellFormedText.Repair(item);
        Assert.Equal(Write(w => WireJson.Write(w, item)), Write(w => Reference(w, item)));
    }

    // What WireJson wrote before the hand-written writer: the source-generated metadata.
    private static void Reference(Utf8JsonWriter writer, ResponseItem item)
    {
        if (item is TextItem text)
        {
            JsonSerializer.Serialize(writer, WireMapper.ToWire(text), WireJsonContext.Default.TextLine);
        }
        else
        {
            JsonSerializer.Serialize(writer, WireMapper.ToWire((ScriptResultItem)item), WireJsonContext.Default.ScriptResultLine);
        }

        writer.Flush();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
