using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ScriptHarness.Serialization;

namespace ScriptHarness.Cli.Tests;

/// <summary>
/// The CLI buffers its output (no flush per line unless the output is a terminal) but keeps streaming: a block's line
/// goes out when the run has nothing more ready, so it arrives while a later block still runs.
/// </summary>
public sealed class ResponseStreamingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Writer_CancelledWhileTheRunsNextStepIsInFlight_EndsCancelled_NotWithTheIteratorsDisposalError(bool stepYields)
    {
        // CI, 2026-12-07: Ctrl+C landed after the run had yielded once more, the flush before its next step threw the
        // cancellation, and disposing the run's enumerator with that step in flight threw NotSupportedException: the CLI
        // ended with an internal error instead of its cancelled results. A step that still yields an item hands it on.
        using var cancel = new CancellationTokenSource();
        var writer = ResponseWriter.Create("jsonl", new MemoryStream(), flushEachItem: false);
        var seen = new List<int>();

        async IAsyncEnumerable<int> Run([EnumeratorCancellation] CancellationToken token)
        {
            yield return 1;
            await cancel.CancelAsync();
            yield return 2;
            await Task.Delay(50, CancellationToken.None);
            if (!stepYields)
            {
                token.ThrowIfCancellationRequested();
            }

            yield return 3;
            yield return 4;
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in writer.FlushWhenIdle(Run(cancel.Token), cancel.Token))
            {
                seen.Add(item);
            }
        });

        Assert.Equal(stepYields ? [1, 2, 3] : [1, 2], seen);
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("text")]
    [InlineData("msgpack")]
    public async Task Writer_BuffersWhileItemsAreReady_FlushesWhenTheNextItemIsNotReady(string format)
    {
        using var output = new MemoryStream();
        var writer = ResponseWriter.Create(format, output, flushEachItem: false);
        var source = Channel.CreateUnbounded<ResponseItem>();
        source.Writer.TryWrite(new TextItem(0, "first\n"));
        source.Writer.TryWrite(new TextItem(1, "second\n"));

        await using (writer)
        {
            await using var items = writer.FlushWhenIdle(source.Reader.ReadAllAsync()).GetAsyncEnumerator();
            Assert.True(await items.MoveNextAsync());
            await writer.WriteAsync(items.Current, CancellationToken.None);
            Assert.Equal(0, output.Length); // the second item is ready: no flush yet

            Assert.True(await items.MoveNextAsync());
            await writer.WriteAsync(items.Current, CancellationToken.None);
            var pending = items.MoveNextAsync(); // nothing ready: both items go out now
            var flushed = Encoding.UTF8.GetString(output.ToArray());
            Assert.Contains("first", flushed, StringComparison.Ordinal);
            Assert.Contains("second", flushed, StringComparison.Ordinal);

            source.Writer.TryWrite(new TextItem(2, "third\n"));
            source.Writer.Complete();
            Assert.True(await pending);
            await writer.WriteAsync(items.Current, CancellationToken.None);
            Assert.False(await items.MoveNextAsync());
        }

        Assert.Contains("third", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal); // disposal flushes
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("text")]
    public async Task Run_FirstBlocksLine_ArrivesWhileALaterBlockStillRuns(string format)
    {
        const string Reply = "<tool-calls>\nreturn 1;\n</tool-calls>\n<tool-calls>\nawait tools.test.sleep({ ms: 60000 });\n</tool-calls>\n";
        using var process = Process.Start(CliProcess.StartInfo(["run", "-", "--format", format, "--toolset", "test"]))!;
        try
        {
            await process.StandardInput.WriteAsync(Reply);
            process.StandardInput.Close();
            _ = process.StandardError.ReadToEndAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            var first = await process.StandardOutput.ReadLineAsync(patience.Token);

            Assert.NotNull(first);
            if (format == "jsonl")
            {
                var item = JsonNode.Parse(first)!;
                Assert.Equal(0, (int)item["index"]!);
                Assert.Equal("ok", (string?)item["status"]);
            }
            else
            {
                Assert.Contains("script #0 · ok", first, StringComparison.Ordinal);
            }

            Assert.False(process.HasExited, "the second block sleeps a minute: the first line came while it ran");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
