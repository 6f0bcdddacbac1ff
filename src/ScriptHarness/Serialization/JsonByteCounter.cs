using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScriptHarness.Serialization;

/// <summary>
/// Measures how many UTF-8 bytes a JSON value takes in a JSON line, without keeping them: the writer is handed
/// one scratch buffer over and over, and only the count survives.
/// </summary>
internal sealed class JsonByteCounter : IBufferWriter<byte>
{
    private byte[] _scratch = new byte[4096];
    private long _count;

    /// <summary>The bytes of <paramref name="node"/> as compact JSON with the wire's writer options.</summary>
    /// <remarks>The caller bounds the depth first (<see cref="WireLimits"/>); the writer refuses anything deeper.</remarks>
    public long Count(JsonNode? node)
    {
        _count = 0;
        using (var writer = new Utf8JsonWriter(this, WireJson.WriterOptions))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return _count;
    }

    public void Advance(int count) => _count += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    private byte[] Scratch(int sizeHint)
    {
        if (sizeHint > _scratch.Length)
        {
            _scratch = new byte[sizeHint];
        }

        return _scratch;
    }
}
