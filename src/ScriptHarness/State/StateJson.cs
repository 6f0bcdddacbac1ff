using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScriptHarness.Serialization;

namespace ScriptHarness.State;

/// <summary>How state documents are written: compact, with the wire's writer options, so sizes match what the quota counts.</summary>
internal static class StateJson
{
    public static byte[] ToUtf8(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
