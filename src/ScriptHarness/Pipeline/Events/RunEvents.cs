using System.Threading.Channels;
using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>
/// Where one run's events go. Writes are serialized so each script's events keep their order; a run without an
/// event consumer uses <see cref="None"/>, which costs nothing.
/// </summary>
internal sealed class RunEvents
{
    private readonly ChannelWriter<HarnessEvent>? _writer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public RunEvents(ChannelWriter<HarnessEvent>? writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    public static RunEvents None { get; } = new(null, TimeProvider.System);

    public bool Enabled => _writer is not null;

    public ScriptEvents For(int index) => new(this, index);

    public void Item(ResponseItem item) => Write(item, static (now, i) => new ResponseItemEvent(i.Index, now, i));

    /// <summary>Writes the event <paramref name="create"/> makes of the time and <paramref name="state"/> (no closure to allocate).</summary>
    public void Write<TState>(TState state, Func<DateTimeOffset, TState, HarnessEvent> create)
    {
        if (_writer is null)
        {
            return;
        }

        lock (_gate)
        {
            // Unbounded: every source of events is itself bounded (tool budget, console and progress limits).
            _writer.TryWrite(create(_time.GetUtcNow(), state));
        }
    }
}
