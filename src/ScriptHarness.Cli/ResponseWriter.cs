using ScriptHarness.Serialization;

namespace ScriptHarness.Cli;

/// <summary>Writes response items to standard output in the chosen format, each as soon as it is ready.</summary>
internal abstract class ResponseWriter
{
    public static ResponseWriter Create(string format) => format switch
    {
        "jsonl" => new JsonLines(),
        "msgpack" => new MessagePackFrames(),
        _ => new Text(),
    };

    public abstract Task WriteAsync(ResponseItem item, CancellationToken cancellationToken);

    public virtual Task FlushAsync(CancellationToken cancellationToken) => Console.Out.FlushAsync(cancellationToken);

    private sealed class Text : ResponseWriter
    {
        public override async Task WriteAsync(ResponseItem item, CancellationToken cancellationToken)
        {
            await Console.Out.WriteLineAsync(ResponseItemText.Render(item).AsMemory(), cancellationToken).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class JsonLines : ResponseWriter
    {
        public override async Task WriteAsync(ResponseItem item, CancellationToken cancellationToken)
        {
            await Console.Out.WriteAsync((ResponseItemJson.ToJsonLine(item) + "\n").AsMemory(), cancellationToken).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class MessagePackFrames : ResponseWriter
    {
        private readonly Stream _stdout = Console.OpenStandardOutput();

        public override async Task WriteAsync(ResponseItem item, CancellationToken cancellationToken)
        {
            await _stdout.WriteAsync(ResponseItemMessagePack.Serialize(item), cancellationToken).ConfigureAwait(false);
            await _stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => _stdout.FlushAsync(cancellationToken);
    }
}
