namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>Writes whole frames to a stream, one at a time from any thread (engine threads log while tools answer).</summary>
internal sealed class FrameWriter(Stream stream)
{
    private readonly Lock _gate = new();

    public void Write(Frame frame)
    {
        var bytes = FrameCodec.Encode(frame);
        lock (_gate)
        {
            stream.Write(bytes);
            stream.Flush();
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
