using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ScriptHarness.Detection;

/// <summary>
/// Detects blocks in a reply that arrives as a stream of text chunks (tokens), with the same results as
/// <see cref="ToolCallDetector.Detect(string)"/> on the whole reply, however the text is split.
/// </summary>
/// <remarks>
/// A segment is yielded as soon as it is decided: a script block the moment its closing marker arrives, the
/// prose before a block when the block opens, and the last prose (or an unclosed block) when the stream ends.
/// Text is buffered only while its segment is still open.
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of their first parameter (a stream of chunks, a channel), so no call can bind to both; the optional token follows the async convention.")]
public static class StreamingToolCallDetector
{
    /// <summary>Detects the blocks of a reply streamed as <paramref name="chunks"/>.</summary>
    /// <param name="chunks">The reply's text in order; chunk boundaries may fall anywhere, even inside a tag.</param>
    /// <param name="cancellationToken">Stops reading the chunks.</param>
    /// <returns>The segments, in reply order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunks"/> is null.</exception>
    public static IAsyncEnumerable<ReplySegment> DetectAsync(IAsyncEnumerable<string> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return DetectCoreAsync(chunks, cancellationToken);
    }

    /// <summary>Detects the blocks of a reply streamed through <paramref name="chunks"/>; the reply ends when the channel completes.</summary>
    /// <param name="chunks">The reader of the reply's text in order; chunk boundaries may fall anywhere.</param>
    /// <param name="cancellationToken">Stops reading the channel.</param>
    /// <returns>The segments, in reply order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunks"/> is null.</exception>
    public static IAsyncEnumerable<ReplySegment> DetectAsync(ChannelReader<string> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return DetectCoreAsync(chunks, cancellationToken);
    }

    private static async IAsyncEnumerable<ReplySegment> DetectCoreAsync(
        IAsyncEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanner = new ToolCallScanner();
        var ready = new List<ReplySegment>();
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            scanner.Append(chunk, ready);
            foreach (var segment in ready)
            {
                yield return segment;
            }

            ready.Clear();
        }

        scanner.Complete(ready);
        foreach (var segment in ready)
        {
            yield return segment;
        }
    }

    private static async IAsyncEnumerable<ReplySegment> DetectCoreAsync(
        ChannelReader<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanner = new ToolCallScanner();
        var ready = new List<ReplySegment>();
        while (await chunks.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Drain what is already written, then yield per chunk so a closed block is not held back.
            while (chunks.TryRead(out var chunk))
            {
                scanner.Append(chunk, ready);
                foreach (var segment in ready)
                {
                    yield return segment;
                }

                ready.Clear();
            }
        }

        scanner.Complete(ready);
        foreach (var segment in ready)
        {
            yield return segment;
        }
    }
}
