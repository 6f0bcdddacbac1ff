using System.Buffers;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>Writes whole frames to a stream, one at a time from any thread (engine threads log while tools answer).</summary>
/// <remarks>
/// A frame is encoded into one buffer the writer keeps (under its lock), so a frame costs one write and no garbage; a
/// buffer grown past <see cref="KeepBytes"/> by a large frame is let go after it.
/// </remarks>
internal sealed class FrameWriter(Stream stream)
{
    /// <summary>The largest buffer kept between frames.</summary>
    internal const int KeepBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _buffer = new(1024);

    public void Write(Frame frame)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            try
            {
                FrameCodec.EncodeTo(_buffer, frame);
                stream.Write(_buffer.WrittenSpan);
                stream.Flush();
            }
            finally
            {
                if (_buffer.Capacity > KeepBytes)
                {
                    _buffer = new ArrayBufferWriter<byte>(1024);
                }
            }
        }
    }

    /// <summary>Writes raw bytes as they are (tests forge broken frames with it).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            stream.Write(bytes);
            stream.Flush();
        }
    }
}
