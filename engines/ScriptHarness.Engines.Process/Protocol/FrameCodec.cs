using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MessagePack;
using ScriptHarness.Context;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>
/// The bytes of a frame: a 4-byte big-endian payload length, then one MessagePack array whose first element is the
/// <see cref="FrameType"/> and whose other elements are the frame's fields, in order, each of a fixed type. Decoding
/// checks everything: the length against a cap, the element count, every field's type and range, and that nothing
/// follows the array. Any violation is a <see cref="FrameException"/>.
/// </summary>
internal static class FrameCodec
{
    public const int HeaderBytes = 4;
    private const int LimitFields = 16;

    public static byte[] Encode(Frame frame)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        EncodeTo(buffer, frame);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the frame's bytes (length and payload) to <paramref name="buffer"/>, which must be empty.</summary>
    public static void EncodeTo(ArrayBufferWriter<byte> buffer, Frame frame)
    {
        buffer.GetSpan(HeaderBytes);
        buffer.Advance(HeaderBytes);
        var w = new MessagePackWriter(buffer);
        // Every string goes through WireJson.Repair: MessagePack's UTF-8 cannot carry a lone surrogate either.
        switch (frame)
        {
            case ReadyFrame f:
                w.WriteArrayHeader(3); w.Write((int)f.Type); w.Write(f.ProcessId); w.Write(Safe(f.Engine));
                break;
            case RunFrame f:
                WriteRun(ref w, f);
                break;
            case ToolCallFrame f:
                w.WriteArrayHeader(4); w.Write((int)f.Type); w.Write(f.CallId); w.Write(Safe(f.Tool)); w.Write(Safe(f.ArgumentsJson));
                break;
            case ToolResultFrame f:
                w.WriteArrayHeader(6); w.Write((int)f.Type); w.Write(f.CallId); w.Write(Safe(f.ValueJson)); w.Write(Safe(f.ErrorCode)); w.Write(Safe(f.ErrorMessage));
                w.Write(f.MayPoll);
                break;
            case LogFrame f:
                w.WriteArrayHeader(3); w.Write((int)f.Type); w.Write(f.Level); w.Write(Safe(f.Message));
                break;
            case ProgressFrame f:
                w.WriteArrayHeader(2); w.Write((int)f.Type); w.Write(Safe(f.Message));
                break;
            case ApprovalWaitFrame f:
                w.WriteArrayHeader(3); w.Write((int)f.Type); w.Write(f.Paused.Ticks); w.Write(f.Waiting);
                break;
            case CancelFrame f:
                w.WriteArrayHeader(1); w.Write((int)f.Type);
                break;
            case OutcomeFrame f:
                w.WriteArrayHeader(9); w.Write((int)f.Type); w.Write(Safe(f.ValueJson)); w.Write(Safe(f.ErrorCode)); w.Write(Safe(f.ErrorMessage));
                WriteInt(ref w, f.Line); WriteInt(ref w, f.Column); w.Write(Safe(f.Stack)); w.Write(f.Duration.Ticks); w.Write(f.RetireRuntime);
                break;
            case HeartbeatFrame f:
                w.WriteArrayHeader(2); w.Write((int)f.Type); w.Write(f.ResidentBytes);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(frame), frame.Type, "not a frame of the protocol");
        }

        w.Flush();
        var length = buffer.WrittenCount - HeaderBytes;
        BinaryPrimitives.WriteInt32BigEndian(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span, length);
    }

    /// <summary>Decodes one payload (the bytes after the length).</summary>
    public static Frame Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var r = new MessagePackReader(payload);
            var count = r.ReadArrayHeader();
            if (count < 1)
            {
                throw new FrameException("a frame is an array that starts with its type");
            }

            var type = (FrameType)r.ReadInt32();
            var frame = ReadBody(ref r, type, count);
            if (!r.End)
            {
                throw new FrameException($"{type} frame has bytes after its end");
            }

            return frame;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            throw new FrameException("not a well-formed frame: " + ex.Message, ex);
        }
    }

    private static Frame ReadBody(ref MessagePackReader r, FrameType type, int count)
    {
        if (count != FieldCount(type) + 1)
        {
            throw new FrameException($"{type} frame has {count} elements, not {FieldCount(type) + 1}");
        }

        switch (type)
        {
            case FrameType.Ready:
                return new ReadyFrame(r.ReadInt32(), Text(ref r, "engine"));
            case FrameType.Run:
                return ReadRun(ref r);
            case FrameType.ToolCall:
                return new ToolCallFrame(CallId(ref r), Text(ref r, "tool"), OptionalText(ref r));
            case FrameType.ToolResult:
                var id = CallId(ref r);
                var value = OptionalText(ref r);
                var code = OptionalText(ref r);
                var message = OptionalText(ref r);
                var mayPoll = r.ReadBoolean();
                return (code is null) == (message is null) && (code is null || value is null)
                    ? new ToolResultFrame(id, value, code, message, mayPoll)
                    : throw new FrameException("a tool result is a value, or an error code with a message");
            case FrameType.Log:
                return new LogFrame(Level(ref r), Text(ref r, "message"));
            case FrameType.Progress:
                return new ProgressFrame(Text(ref r, "message"));
            case FrameType.ApprovalWait:
                return new ApprovalWaitFrame(Duration(ref r, "paused"), r.ReadBoolean());
            case FrameType.Cancel:
                return CancelFrame.Instance;
            case FrameType.Outcome:
                return ReadOutcome(ref r);
            case FrameType.Heartbeat:
                return new HeartbeatFrame(NonNegative(r.ReadInt64(), "resident bytes"));
            default:
                throw new FrameException($"unknown frame type {(int)type}");
        }
    }

    private static int FieldCount(FrameType type) => type switch
    {
        FrameType.Ready => 2,
        FrameType.Run => 12,
        FrameType.ToolCall => 3,
        FrameType.ToolResult => 5,
        FrameType.Log => 2,
        FrameType.Progress => 1,
        FrameType.ApprovalWait => 2,
        FrameType.Cancel => 0,
        FrameType.Outcome => 8,
        FrameType.Heartbeat => 1,
        _ => throw new FrameException($"unknown frame type {(int)type}"),
    };

    private static void WriteRun(ref MessagePackWriter w, RunFrame f)
    {
        var script = f.Script.Script;
        var context = f.Script.Context;
        var l = context.Limits;
        w.WriteArrayHeader(13);
        w.Write((int)f.Type);
        w.Write(Safe(script.Source));
        w.Write(Safe(script.Sha256));
        w.Write(script.SizeBytes);
        w.Write(Safe(context.ConversationId));
        w.Write(Safe(context.SessionId));
        w.Write(Safe(context.TurnId));
        w.Write(Safe(context.ScriptId));
        w.Write((int)context.Mode);
        w.WriteArrayHeader(LimitFields);
        w.Write(l.Timeout.Ticks); w.Write(l.MemoryBytes); w.Write(l.MaxRecursionDepth); w.Write(l.MaxScriptBytes);
        w.Write(l.MaxReturnValueBytes); w.Write(l.MaxToolCalls); w.Write(l.MaxConcurrentToolCalls); w.Write(l.ToolTimeout.Ticks);
        w.Write(l.GracePeriod.Ticks); w.Write(l.RegexTimeout.Ticks); w.Write(l.MaxArrayLength); w.Write(l.MaxLogEntries);
        w.Write(l.MaxLogsPerSecond); w.Write(l.MaxProgressEvents); w.Write(l.ProgressInterval.Ticks); w.Write(l.MaxMessageLength);
        w.WriteArrayHeader(f.ToolNames.Count);
        foreach (var name in f.ToolNames)
        {
            w.Write(Safe(name));
        }

        if (context.Replay is { } replay)
        {
            w.WriteArrayHeader(2);
            w.Write(replay.UnixMilliseconds);
            w.Write(replay.Seed);
        }
        else
        {
            w.WriteNil();
        }

        w.Write(f.MayPoll);
    }

    private static RunFrame ReadRun(ref MessagePackReader r)
    {
        var source = Text(ref r, "source");
        var sha = Text(ref r, "sha256");
        var size = NonNegative(r.ReadInt32(), "size");
        var conversation = Text(ref r, "conversationId");
        var session = Text(ref r, "sessionId");
        var turn = Text(ref r, "turnId");
        var scriptId = Text(ref r, "scriptId");
        var mode = (ToolMode)r.ReadInt32();
        if (!Enum.IsDefined(mode))
        {
            throw new FrameException($"tool mode {(int)mode} is not defined");
        }

        if (r.ReadArrayHeader() != LimitFields)
        {
            throw new FrameException($"limits are an array of {LimitFields}");
        }

        var limits = new ScriptLimits
        {
            Timeout = Duration(ref r, "timeout"), MemoryBytes = r.ReadInt64(), MaxRecursionDepth = r.ReadInt32(), MaxScriptBytes = r.ReadInt32(),
            MaxReturnValueBytes = r.ReadInt32(), MaxToolCalls = r.ReadInt32(), MaxConcurrentToolCalls = r.ReadInt32(), ToolTimeout = Duration(ref r, "tool timeout"),
            GracePeriod = Duration(ref r, "grace"), RegexTimeout = Duration(ref r, "regex timeout"), MaxArrayLength = r.ReadUInt32(), MaxLogEntries = r.ReadInt32(),
            MaxLogsPerSecond = r.ReadInt32(), MaxProgressEvents = r.ReadInt32(), ProgressInterval = Duration(ref r, "progress interval"), MaxMessageLength = r.ReadInt32(),
        };
        if (limits.Validate() is { Count: > 0 } problems)
        {
            throw new FrameException("invalid limits: " + string.Join("; ", problems));
        }

        var toolCount = r.ReadArrayHeader();
        var tools = new string[toolCount];
        for (var i = 0; i < toolCount; i++)
        {
            tools[i] = Text(ref r, "tool name");
        }

        ReplayClock? replay = null;
        if (!r.TryReadNil())
        {
            if (r.ReadArrayHeader() != 2)
            {
                throw new FrameException("the replay clock is an array of 2");
            }

            replay = new ReplayClock(r.ReadInt64(), r.ReadUInt64());
        }

        var mayPoll = r.ReadBoolean();
        var context = new ScriptContext { ConversationId = conversation, SessionId = session, TurnId = turn, ScriptId = scriptId, Mode = mode, Limits = limits, Replay = replay };
        return new RunFrame(new PreparedScript(new ParsedScript(source, sha) { SizeBytes = size }, context), tools, mayPoll);
    }

    private static OutcomeFrame ReadOutcome(ref MessagePackReader r)
    {
        var value = OptionalText(ref r);
        var code = OptionalText(ref r);
        var message = OptionalText(ref r);
        if ((code is null) != (message is null))
        {
            throw new FrameException("an outcome's error has both a code and a message, or neither");
        }

        var line = OptionalInt(ref r);
        var column = OptionalInt(ref r);
        var stack = OptionalText(ref r);
        return new OutcomeFrame(value, code, message, line, column, stack, Duration(ref r, "duration"), r.ReadBoolean());
    }

    private static string Text(ref MessagePackReader r, string what) =>
        r.ReadString() ?? throw new FrameException($"{what} must be a string");

    private static string? Safe(string? text) => text is null ? null : WireJson.Repair(text);

    private static string? OptionalText(ref MessagePackReader r) => r.TryReadNil() ? null : r.ReadString();

    private static int? OptionalInt(ref MessagePackReader r) => r.TryReadNil() ? null : r.ReadInt32();

    private static void WriteInt(ref MessagePackWriter w, int? value)
    {
        if (value is { } v)
        {
            w.Write(v);
        }
        else
        {
            w.WriteNil();
        }
    }

    private static long CallId(ref MessagePackReader r) => r.ReadInt64() is var id and > 0 ? id : throw new FrameException("call ids are positive");

    private static int Level(ref MessagePackReader r) => r.ReadInt32() is var level and >= 0 and <= 6 ? level : throw new FrameException("log level out of range");

    private static TimeSpan Duration(ref MessagePackReader r, string what) => TimeSpan.FromTicks(NonNegative(r.ReadInt64(), what));

    private static T NonNegative<T>(T value, string what) where T : System.Numerics.INumber<T> =>
        value >= T.Zero ? value : throw new FrameException($"{what} must not be negative");
}
