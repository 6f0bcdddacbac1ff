using System.Buffers;
using System.Text.Json.Nodes;
using MessagePack;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>Builds MessagePack input for tests, valid or deliberately not.</summary>
internal static class MessagePackBytes
{
    public delegate void Body(ref MessagePackWriter writer);

    public static byte[] Write(Body body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        body(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The JSON text as MessagePack, through the converter under test's writing half.</summary>
    public static byte[] FromJson(string json) => Write((ref MessagePackWriter w) => JsonNodeMessagePack.Write(ref w, JsonNode.Parse(json)));

    /// <summary>MessagePack bytes back to a JSON node, through the converter's reading half.</summary>
    public static JsonNode? ToJson(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        JsonNode? node = JsonNodeMessagePack.Read(ref reader, depth: 1);
        Assert.True(reader.End);
        return node;
    }
}
