using System.Buffers;
using System.Buffers.Binary;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>
/// Reads whole frames off a pipe with blocking reads into one buffer, on the one thread that owns the reader. A read
/// takes whatever the pipe holds, so a frame costs one read (header and payload together) and frames that arrived
/// together cost one between them; a blocking read on a dedicated thread wakes exactly that thread, where an async read
/// of a pipe would block a thread-pool thread and hop again for every payload. Checks as <see cref="FrameCodec"/>
/// decodes: the length against the cap before anything is allocated for it, then the payload's schema.
/// </summary>
internal sealed class FrameReader(Stream stream, int maxPayloadBytes)
{
    /// <summary>Frames up to this size are read into the reader's own buffer; larger ones get a buffer of their size.</summary>
    internal const int BufferBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;

    /// <summary>Whether bytes already read wait in the buffer (a next frame, or part of one): a read then starts without the pipe.</summary>
    public bool HasBuffered => _end > _start;

    /// <summary>
    /// The next frame; null when the stream ends cleanly between frames. A length outside 1..<c>maxPayloadBytes</c>, a
    /// stream that ends inside a frame, or a payload that breaks the schema throws <see cref="FrameException"/>.
    /// </summary>
    public Frame? Read()
    {
        if (!Fill(FrameCodec.HeaderBytes))
        {
            return _end == _start ? null : throw new FrameException("the stream ended inside a frame header");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start, FrameCodec.HeaderBytes));
        if (length <= 0 || length > maxPayloadBytes)
        {
            throw new FrameException($"a frame of {length} bytes is outside 1..{maxPayloadBytes}");
        }

        _start += FrameCodec.HeaderBytes;
        if (length > _buffer.Length)
        {
            return ReadLarge(length);
        }

        if (!Fill(length))
        {
            throw new FrameException("the stream ended inside a frame");
        }

        // Decoding copies every string out: the buffer is free for the next read once it returns.
        var frame = FrameCodec.Decode(_buffer.AsMemory(_start, length));
        _start += length;
        return frame;
    }

    private Frame ReadLarge(int length)
    {
        var payload = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var have = _end - _start;
            _buffer.AsSpan(_start, have).CopyTo(payload);
            _start = _end = 0;
            while (have < length)
            {
                var n = stream.Read(payload, have, length - have);
                if (n == 0)
                {
                    throw new FrameException("the stream ended inside a frame");
                }

                have += n;
            }

            return FrameCodec.Decode(payload.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    /// <summary>Makes <paramref name="count"/> (at most the buffer's size) bytes available from the start; false at the end of the stream.</summary>
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_buffer.Length - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < count)
        {
            var n = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                return false;
            }

            _end += n;
        }

        return true;
    }
}
