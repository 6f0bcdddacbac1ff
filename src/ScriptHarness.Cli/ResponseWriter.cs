using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using ScriptHarness.Serialization;

namespace ScriptHarness.Cli;

/// <summary>
/// Writes response items to standard output in the chosen format. Each item is written as soon as it is ready, but
/// reaches the output only when the writer goes idle: when the run has no next item ready (<see cref="FlushWhenIdle"/>),
/// and at the end (<see cref="DisposeAsync"/>). A block's line still arrives when its block completes while a later
/// block runs; a reply of thousands of quick blocks costs one write per burst instead of one system call per line. On a
/// terminal every line is flushed at once, for the person watching.
/// </summary>
internal abstract class ResponseWriter : IAsyncDisposable
{
    private const int BufferBytes = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly bool _flushEachItem;

    private ResponseWriter(bool flushEachItem) => _flushEachItem = flushEachItem;

    /// <summary>The writer for <paramref name="format"/> on this process's standard output.</summary>
    public static ResponseWriter Create(string format) =>
        Create(format, Console.OpenStandardOutput(), flushEachItem: !Console.IsOutputRedirected);

    /// <summary>The writer for <paramref name="format"/> on <paramref name="output"/>.</summary>
    public static ResponseWriter Create(string format, Stream output, bool flushEachItem) => format switch
    {
        "jsonl" => new JsonLines(output, flushEachItem),
        "msgpack" => new MessagePackFrames(output, flushEachItem),
        _ => new Text(output, flushEachItem),
    };

    /// <summary>Writes one item (to the buffer; to the output too on a terminal).</summary>
    public async Task WriteAsync(ResponseItem item, CancellationToken cancellationToken)
    {
        await WriteItemAsync(item, cancellationToken).ConfigureAwait(false);
        if (_flushEachItem)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends what is buffered to the output.</summary>
    public abstract Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// <paramref name="source"/>'s items, flushing this writer whenever the next one is not ready yet: what was written
    /// goes out before the run waits on a script, a tool or the input, and not after every line of a quick burst.
    /// </summary>
    public async IAsyncEnumerable<T> FlushWhenIdle<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = source.GetAsyncEnumerator(cancellationToken);
        await using (items.ConfigureAwait(false))
        {
            while (true)
            {
                var next = items.MoveNextAsync();
                ExceptionDispatchInfo? flushCancelled = null;
                if (!next.IsCompleted)
                {
                    try
                    {
                        await FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex)
                    {
                        // Ctrl+C while the run's next step is in flight: an async iterator cannot be disposed until that
                        // step settles (NotSupportedException, which ended the CLI as an internal error instead of with
                        // its cancelled results). The run sees the same cancellation: its step ends, its item if it has
                        // one goes out, and then the cancellation does.
                        flushCancelled = ExceptionDispatchInfo.Capture(ex);
                    }
                }

                if (!await next.ConfigureAwait(false))
                {
                    flushCancelled?.Throw();
                    yield break;
                }

                yield return items.Current;
                flushCancelled?.Throw();
            }
        }
    }

    /// <summary>Flushes what is left, whatever ended the run (an error thrown mid-run included).</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private protected abstract Task WriteItemAsync(ResponseItem item, CancellationToken cancellationToken);

    private abstract class Lines(Stream output, bool flushEachItem) : ResponseWriter(flushEachItem)
    {
        // Not Console.Out: it flushes on every write. The stream stays open (it is the process's standard output).
        private readonly StreamWriter _writer = new(output, Utf8, BufferBytes, leaveOpen: true) { AutoFlush = false, NewLine = "\n" };

        public override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

        private protected override Task WriteItemAsync(ResponseItem item, CancellationToken cancellationToken) =>
            _writer.WriteLineAsync(Render(item).AsMemory(), cancellationToken);

        protected abstract string Render(ResponseItem item);
    }

    private sealed class Text(Stream output, bool flushEachItem) : Lines(output, flushEachItem)
    {
        protected override string Render(ResponseItem item) => ResponseItemText.Render(item);
    }

    private sealed class JsonLines(Stream output, bool flushEachItem) : Lines(output, flushEachItem)
    {
        protected override string Render(ResponseItem item) => ResponseItemJson.ToJsonLine(item);
    }

    private sealed class MessagePackFrames(Stream output, bool flushEachItem) : ResponseWriter(flushEachItem)
    {
        private readonly BufferedStream _output = new(output, BufferBytes);

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        private protected override Task WriteItemAsync(ResponseItem item, CancellationToken cancellationToken) =>
            _output.WriteAsync(ResponseItemMessagePack.Serialize(item), cancellationToken).AsTask();
    }
}
