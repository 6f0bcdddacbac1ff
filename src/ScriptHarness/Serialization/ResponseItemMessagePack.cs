using System.Buffers;
using System.Runtime.CompilerServices;
using MessagePack;

namespace ScriptHarness.Serialization;

/// <summary>
/// The binary wire form of response items (host ↔ worker pipes, compact storage): each item is one MessagePack map
/// with exactly the keys, values and omission rules of <see cref="ResponseItemJson"/>. JSON values map to their
/// MessagePack counterparts; numbers are integers when integral and within 64 bits, else float64, and a number beyond
/// float64 (<c>1e400</c>) is extension type 1 holding its JSON text. A sequence of maps is self-delimiting, so frames
/// need no length prefix.
/// </summary>
/// <remarks>Written and read by hand with <see cref="MessagePackWriter"/>/<see cref="MessagePackReader"/>: no
/// reflection-based serializer, no resolver to configure, trim and AOT friendly.</remarks>
public static class ResponseItemMessagePack
{
    /// <summary>Serializes <paramref name="item"/> as one MessagePack map.</summary>
    /// <exception cref="ArgumentException">The item is of an unknown kind or its value nests too deeply.</exception>
    public static byte[] Serialize(ResponseItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, item);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads exactly one item from <paramref name="bytes"/>.</summary>
    /// <exception cref="FormatException">The bytes are malformed, truncated, followed by more bytes, nest deeper
    /// than 64 levels, hold an unknown type, status, error code or log level, or a partial result that matches no
    /// succeeded call.</exception>
    public static ResponseItem Deserialize(ReadOnlyMemory<byte> bytes) =>
        MessagePackLineReader.Read(new ReadOnlySequence<byte>(bytes));

    /// <summary>
    /// Writes each item as one map, flushing the stream after each so the reader sees it at once. The stream is
    /// left open.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Serialize"/>; the items before have been written, and
    /// nothing of the failing one.</exception>
    public static async Task WriteFramesAsync(Stream stream, IAsyncEnumerable<ResponseItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(items);

        var buffer = new ArrayBufferWriter<byte>();
        await foreach (ResponseItem item in items.WithCancellation(ct).ConfigureAwait(false))
        {
            ArgumentNullException.ThrowIfNull(item);
            Write(buffer, item);
            await stream.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    // As in the JSON form: an item holding a lone surrogate escape it cannot read is written repaired (U+FFFD).
    private static void Write(ArrayBufferWriter<byte> buffer, ResponseItem item)
    {
        buffer.ResetWrittenCount();
        try
        {
            MessagePackLineWriter.Write(buffer, item);
        }
        catch (Exception ex) when (WellFormedText.IsLoneSurrogateFailure(ex))
        {
            buffer.ResetWrittenCount();
            MessagePackLineWriter.Write(buffer, WellFormedText.Repair(item));
        }
    }

    /// <summary>Reads items written by <see cref="WriteFramesAsync"/>, in order, until the stream ends. The stream
    /// is left open.</summary>
    /// <exception cref="FormatException">A frame is malformed, or the stream ends in the middle of one.</exception>
    public static IAsyncEnumerable<ResponseItem> ReadFramesAsync(Stream stream, CancellationToken ct = default)
    {
        // Checked here, not in the iterator, so a null stream fails at the call rather than at the first MoveNext.
        ArgumentNullException.ThrowIfNull(stream);
        return ReadFramesCoreAsync(stream, ct);
    }

    private static async IAsyncEnumerable<ResponseItem> ReadFramesCoreAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new MessagePackStreamReader(stream, leaveOpen: true);
        while (await reader.ReadAsync(ct).ConfigureAwait(false) is { } frame)
        {
            // The frame's memory is reused by the next ReadAsync; the item is fully built before then.
            yield return MessagePackLineReader.Read(frame);
        }

        // ReadAsync reports a cut-off last frame as a clean end; the left-over bytes tell them apart.
        if (!reader.RemainingBytes.IsEmpty)
        {
            throw new FormatException($"The stream ended inside a frame ({reader.RemainingBytes.Length} bytes left over).");
        }
    }
}
