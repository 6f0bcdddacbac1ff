using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Resume;
using ScriptHarness.State;

namespace ScriptHarness.Tests.Resume;

public sealed class ResumeRecordTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    private static ResumeRecord Record() => new(
        "return await tools.mail.send({});",
        new string('a', 64),
        new RunIdentity("conv", "session", "turn-3"),
        Index: 2,
        ToolMode.DryRun,
        ConversationGiven: true,
        Clock: 1_700_000_000_123,
        Seed: ulong.MaxValue,
        new PendingCall(3, "turn-3/s2#3", "mail.send", new string('b', 64), JsonNode.Parse("""{"to":"ann@example.com"}""")),
        [
            new LoggedCall(1, "crm.read", new string('c', 64), JsonNode.Parse("""{"n":1}"""), null),
            new LoggedCall(2, "crm.write", new string('d', 64), null, new ScriptError(ScriptErrorCode.ToolExecutionFailed, "disk on fire")),
        ]);

    [Fact]
    public async Task SaveThenTake_GivesBackEveryField_AndTheTokenIsUsedAfter()
    {
        var store = new DictionaryStore();
        Assert.True(await Record().TrySaveAsync(store, Token, int.MaxValue, CancellationToken.None));

        var (taken, error) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Null(error);
        var record = Assert.IsType<ResumeRecord>(taken);
        var expected = Record();
        Assert.Equal(
            (expected.Source, expected.Sha256, expected.Identity, expected.Index, expected.Mode, expected.ConversationGiven, expected.Clock, expected.Seed),
            (record.Source, record.Sha256, record.Identity, record.Index, record.Mode, record.ConversationGiven, record.Clock, record.Seed));
        Assert.Equal(
            (expected.Pending.Position, expected.Pending.CallId, expected.Pending.Tool, expected.Pending.Hash),
            (record.Pending.Position, record.Pending.CallId, record.Pending.Tool, record.Pending.Hash));
        Assert.Equal("""{"to":"ann@example.com"}""", record.Pending.Arguments!.ToJsonString());
        Assert.Equal(2, record.Calls.Count);
        Assert.Equal((1, "crm.read", new string('c', 64), """{"n":1}""", (ScriptError?)null),
            (record.Calls[0].Position, record.Calls[0].Tool, record.Calls[0].Hash, record.Calls[0].Result!.ToJsonString(), record.Calls[0].Error));
        Assert.Equal((2, "crm.write", new string('d', 64), (JsonNode?)null, ScriptErrorCode.ToolExecutionFailed, "disk on fire"),
            (record.Calls[1].Position, record.Calls[1].Tool, record.Calls[1].Hash, record.Calls[1].Result, record.Calls[1].Error!.Code, record.Calls[1].Error!.Message));

        var (again, used) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);
        Assert.Null(again);
        Assert.Equal((ScriptErrorCode.ResumeTokenUnknown, "the resume token was already used"), (used!.Code, used.Message));
    }

    [Fact]
    public async Task APendingCallWithoutArguments_StaysWithout()
    {
        var store = new DictionaryStore();
        await (Record() with { Pending = new PendingCall(1, "c", "t", "h", null) }).TrySaveAsync(store, Token, int.MaxValue, CancellationToken.None);

        var (record, _) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Null(record!.Pending.Arguments);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789ABCDEF")]
    [InlineData("0123456789abcdeg")]
    [InlineData("g123456789abcdef")]
    [InlineData("../../conversation")]
    public async Task ATokenThisHarnessDoesNotGive_IsRefusedBeforeTheStoreIsAsked(string token)
    {
        var store = new DictionaryStore();

        var (record, error) = await ResumeRecord.TakeAsync(store, token, CancellationToken.None);

        Assert.Null(record);
        Assert.Equal((ScriptErrorCode.ResumeTokenUnknown, "the resume token is not one this harness gives"), (error!.Code, error.Message));
        Assert.Equal(0, store.Loads);
    }

    [Fact]
    public async Task TokensUpTo64HexDigits_AreLookedUp_LongerOnesAreNot()
    {
        var store = new DictionaryStore();

        var (_, sixtyFour) = await ResumeRecord.TakeAsync(store, new string('a', 64), CancellationToken.None);
        var (_, sixtyFive) = await ResumeRecord.TakeAsync(store, new string('a', 65), CancellationToken.None);

        Assert.Equal("the resume token is unknown or expired", sixtyFour!.Message);
        Assert.Equal("the resume token is not one this harness gives", sixtyFive!.Message);
        Assert.Equal(1, store.Loads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"v":2}""")]
    [InlineData("""{"v":1,"pending":{}}""")]
    public async Task ADamagedRecord_IsResumeTokenUnknown_NotAnException(string document)
    {
        var store = new DictionaryStore();
        store.Documents["$resume/" + Token] = Encoding.UTF8.GetBytes(document);

        var (record, error) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Null(record);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, error!.Code);
        Assert.Equal(document.Length == 0 ? "the resume token is unknown or expired" : "the resume token's record is damaged", error.Message);
    }

    [Fact]
    public async Task ALoggedErrorWithAnUnknownCode_IsADamagedRecord()
    {
        var store = new DictionaryStore();
        Assert.True(await Record().TrySaveAsync(store, Token, int.MaxValue, CancellationToken.None));
        var json = JsonNode.Parse(store.Documents["$resume/" + Token])!;
        json["calls"]![1]!["error"]!["code"] = "no_such_code";
        store.Documents["$resume/" + Token] = Encoding.UTF8.GetBytes(json.ToJsonString());

        var (record, error) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Null(record);
        Assert.Equal("the resume token's record is damaged", error!.Message);
    }

    [Fact]
    public async Task TakenManyTimesAtOnce_InOneProcess_OnAStoreWithoutClaims_GivesTheRecordOnce()
    {
        // Loads overlap (as on a remote store), so without the process's own guard every taker reads the record before any marks it.
        var store = new DictionaryStore { OverlapLoads = 8 };
        Assert.True(await Record().TrySaveAsync(store, Token, int.MaxValue, CancellationToken.None));

        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await ResumeRecord.TakeAsync(store, Token, CancellationToken.None))));

        Assert.Single(takes, t => t.Record is not null);
        Assert.All(takes.Where(t => t.Record is null), t => Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, t.Error!.Code));
        Assert.Equal("{\"used\":true}", Encoding.UTF8.GetString(store.Documents["$resume/" + Token]));

        // Once taken, the token is free in this process again, and the store says it was used.
        var (_, again) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);
        Assert.Equal("the resume token was already used", again!.Message);
    }

    [Fact]
    public async Task OnAStoreWithClaims_AClaimAnotherInstanceHolds_IsAlreadyUsed_AndTheRecordStays()
    {
        var store = new ClaimingStore();
        Assert.True(await Record().TrySaveAsync(store, Token, int.MaxValue, CancellationToken.None));
        store.Claimed.TryAdd("$claimed/" + Token, 0); // another instance read the record too, and claimed it first

        var (taken, error) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Null(taken);
        Assert.Equal((ScriptErrorCode.ResumeTokenUnknown, "the resume token was already used"), (error!.Code, error.Message));
        Assert.StartsWith("{\"v\":1", Encoding.UTF8.GetString(store.Documents["$resume/" + Token]), StringComparison.Ordinal); // that instance marks it
    }

    [Fact]
    public async Task OnAStoreWithClaims_TheFirstTakerClaims_ThenMarks()
    {
        var store = new ClaimingStore();
        Assert.True(await Record().TrySaveAsync(store, Token, int.MaxValue, CancellationToken.None));

        var (taken, error) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Null(error);
        Assert.NotNull(taken);
        Assert.Equal(["$claimed/" + Token], store.Claimed.Keys);
        Assert.Equal("{\"used\":true}", Encoding.UTF8.GetString(store.Documents["$resume/" + Token]));
    }

    [Fact]
    public async Task OnAStoreWithClaims_AnUnknownToken_ClaimsNothing()
    {
        // Claims outlive documents: a caller guessing tokens must not fill the store with them.
        var store = new ClaimingStore();

        var (_, error) = await ResumeRecord.TakeAsync(store, Token, CancellationToken.None);

        Assert.Equal("the resume token is unknown or expired", error!.Message);
        Assert.Empty(store.Claimed);
    }

    [Fact]
    public void NewToken_Is32LowercaseHexDigits_FreshEachTime()
    {
        var a = ResumeRecord.NewToken();

        Assert.Matches("^[0-9a-f]{32}$", a);
        Assert.NotEqual(a, ResumeRecord.NewToken());
    }

    private class DictionaryStore : IScriptStateStore
    {
        private int _loads;

        public ConcurrentDictionary<string, byte[]> Documents { get; } = new(StringComparer.Ordinal);

        public int Loads => Volatile.Read(ref _loads);

        private readonly TaskCompletionSource _allLoading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Loads wait until this many are under way (at most a second), as loads from a remote store overlap.</summary>
        public int OverlapLoads { get; init; }

        public async ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken)
        {
            var document = Documents.TryGetValue(conversationId, out var bytes) ? bytes : null;
            if (Interlocked.Increment(ref _loads) >= OverlapLoads)
            {
                _allLoading.TrySetResult();
            }

            if (OverlapLoads > 0)
            {
                await _allLoading.Task.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            return document;
        }

        public ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken)
        {
            Documents[conversationId] = document;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ClaimingStore : DictionaryStore, IScriptStateClaims
    {
        public ConcurrentDictionary<string, byte> Claimed { get; } = new(StringComparer.Ordinal);

        public ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(Claimed.TryAdd(key, 0));
    }
}
