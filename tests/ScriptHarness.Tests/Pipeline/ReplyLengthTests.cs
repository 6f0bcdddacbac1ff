using System.Runtime.CompilerServices;
using System.Text;
using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Pipeline;

/// <summary>
/// <see cref="ScriptHarnessOptions.MaxReplyLength"/>: a runaway reply (800 MB through the CLI took it to 8.9 GB, and prose
/// past what one JSON string holds ended it with an internal error and no output) is read up to the limit and no further.
/// </summary>
public sealed class ReplyLengthTests
{
    private const int Limit = 1024;

    private static readonly JintEngineFactory Engine = new();

    private static readonly string Decided = "hi\n<tool-calls>return 1;</tool-calls>\n";

    private static HarnessPipeline CreateSut(int limit = Limit) =>
        new(new ScriptHarnessOptions { MaxReplyLength = limit }, Engine, TestTools.Registry(), FixedApprovalService.ApproveAll);

    private static async Task<List<ResponseItem>> Collect(IAsyncEnumerable<ResponseItem> items)
    {
        var list = new List<ResponseItem>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static string Describe(ResponseItem item) => item switch
    {
        TextItem t => "text:" + t.Text,
        ScriptResultItem { Outcome.Error: { } e } r => $"error@{r.Index}:{e.WireCode}",
        ScriptResultItem r => $"ok@{r.Index}:{r.Outcome.Value?.ToJsonString()}",
        _ => item.ToString()!,
    };

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static async IAsyncEnumerable<string> Stream(IEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return chunk;
        }
    }

    [Theory]
    [InlineData("prose")]
    [InlineData("block")]
    public async Task AReplyOverTheLimit_AnswersWhatEndedBeforeIt_AndTheOpenSegmentGetsReplyLimitExceeded(string open)
    {
        using var sut = CreateSut();
        var reply = Decided + (open == "block" ? "<tool-calls>\nreturn '" : "more prose ") + new string('a', 3 * Limit);

        var items = await Collect(sut.RunAsync(reply));

        // The prose after the first block is open when the limit passes: it gives way to the error, as an open block does.
        string[] expected = open == "block" ? ["text:hi\n", "ok@1:1", "text:\n", "error@3:reply_limit_exceeded"] : ["text:hi\n", "ok@1:1", "error@2:reply_limit_exceeded"];
        Assert.Equal(expected, items.Select(Describe));
        var error = Result(items[^1]).Error!;
        Assert.Equal(ScriptErrorCode.ReplyLimitExceeded, error.Code);
        Assert.Contains("1,024 characters (MaxReplyLength)", error.Message, StringComparison.Ordinal);
        Assert.False(error.Retryable);
        Assert.Equal(items.Count - 1, items[^1].Index);
    }

    [Fact]
    public async Task AReplyOfExactlyTheLimit_RunsWhole()
    {
        using var sut = CreateSut();
        var reply = Decided + new string('b', Limit - Decided.Length);

        var items = await Collect(sut.RunAsync(reply));

        Assert.Equal(["text:hi\n", "ok@1:1", "text:\n" + new string('b', Limit - Decided.Length)], items.Select(Describe));
        Assert.Equal(Limit, reply.Length);
    }

    [Fact]
    public async Task OneCharacterOver_IsOver()
    {
        using var sut = CreateSut();
        var reply = Decided + new string('b', Limit - Decided.Length + 1);

        var items = await Collect(sut.RunAsync(reply));

        Assert.Equal(["text:hi\n", "ok@1:1", "error@2:reply_limit_exceeded"], items.Select(Describe));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(500)]
    [InlineData(4000)]
    public async Task AStreamedReply_EndsAsTheWholeOneDoes_HoweverItIsSplit(int size)
    {
        using var sut = CreateSut();
        var reply = Decided + "<tool-calls>return 2;</tool-calls>" + new string('c', 2 * Limit) + "<tool-calls>return 3;</tool-calls>";

        var whole = (await Collect(sut.RunAsync(reply))).Select(Describe).ToList();
        var streamed = (await Collect(sut.RunStreamingAsync(Stream(Chunks(reply, size))))).Select(Describe).ToList();

        Assert.Equal(whole, streamed);
        Assert.Equal(["text:hi\n", "ok@1:1", "text:\n", "ok@3:2", "error@4:reply_limit_exceeded"], whole);
    }

    [Fact]
    public async Task AStreamThatNeverEnds_IsReadNoFurtherThanTheLimit()
    {
        using var sut = CreateSut();
        const string Chunk = "<tool-calls>return 9;</tool-calls> and on ";
        var pulled = 0;
        IEnumerable<string> Endless()
        {
            yield return Decided;
            while (true)
            {
                pulled++;
                yield return Chunk;
            }
        }

        var items = await Collect(sut.RunStreamingAsync(Stream(Endless())));

        Assert.Equal("error@" + items[^1].Index + ":reply_limit_exceeded", Describe(items[^1]));
        Assert.Equal(((Limit - Decided.Length) / Chunk.Length) + 1, pulled); // the chunk that passed the limit is the last one read
        Assert.All(items.Take(items.Count - 1), i => Assert.DoesNotContain("error", Describe(i), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AUtf8ReplyOverTheLimit_IsDecodedOnlyAsFarAsTheLimitReaches()
    {
        using var sut = CreateSut();
        var bytes = Encoding.UTF8.GetBytes(Decided + new string('é', 5 * Limit)); // two bytes a character

        var items = await Collect(sut.RunAsync(bytes.AsMemory()));
        var events = new List<string>();
        await foreach (var e in sut.RunEventsAsync(bytes.AsMemory()))
        {
            if (e is ResponseItemEvent { Item: var item })
            {
                events.Add(Describe(item));
            }
        }

        Assert.Equal(["text:hi\n", "ok@1:1", "error@2:reply_limit_exceeded"], items.Select(Describe));
        Assert.Equal(items.Select(Describe), events);
    }

    [Theory]
    [InlineData(1023, false)]
    [InlineData(1024, true)]
    [InlineData(100_000_000, true)]
    [InlineData(100_000_001, false)]
    public void MaxReplyLength_IsBetween1024AndWhatOneJsonStringHolds(int value, bool valid)
    {
        var problems = new ScriptHarnessOptions { MaxReplyLength = value }.Validate();

        Assert.Equal(valid, problems.Count == 0);
        Assert.All(problems, p => Assert.Equal("MaxReplyLength must be between 1024 and 100000000", p));
    }

    [Fact]
    public void MaxReplyLength_Is4MiByDefault() => Assert.Equal(4 * 1024 * 1024, new ScriptHarnessOptions().MaxReplyLength);

    private static ScriptOutcome Result(ResponseItem item) => Assert.IsType<ScriptResultItem>(item).Outcome;
}
