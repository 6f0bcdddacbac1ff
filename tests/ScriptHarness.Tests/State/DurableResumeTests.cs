using System.Text.Json.Nodes;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.State;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.State;

/// <summary>
/// Durable approvals: a block suspends at a call needing approval, its log is kept in the state store, and another
/// harness instance built on the same store (the host restarted) resumes it — on the in-memory cache and a real Redis.
/// </summary>
public sealed class DurableResumeTests
{
    private static readonly ScriptHarnessOptions Durable = new() { DurableApprovals = true };

    /// <summary>Tools that count how often their handlers run, so a replay that runs a logged call again shows.</summary>
    private sealed class Counted
    {
        public int Reads;
        public int Sends;

        public ToolRegistry Registry() => new([
            new ToolDefinition("crm.read", "reads", new JsonObject { ["type"] = "object" }, (args, _, _) =>
            {
                Interlocked.Increment(ref Reads);
                return ValueTask.FromResult<JsonNode?>(new JsonObject { ["n"] = Volatile.Read(ref Reads), ["args"] = args?.DeepClone() });
            }),
            new ToolDefinition("mail.send", "sends", new JsonObject { ["type"] = "object" }, (args, _, _) =>
            {
                Interlocked.Increment(ref Sends);
                return ValueTask.FromResult<JsonNode?>(new JsonObject { ["sent"] = args?["to"]?.DeepClone() });
            }) { RequiresApproval = true },
        ]);
    }

    private static HarnessPipeline Harness(IScriptStateStore store, Counted counted) =>
        new(Durable, StateStores.Engine, counted.Registry(), stateStore: store);

    private static async Task<ScriptOutcome> RunOneAsync(IScriptHarness harness, string script) =>
        Assert.Single(await StateStores.RunAsync(harness, StateStores.Blocks(script), StateStores.In("conv-durable")));

    private const string Script = """
        const a = await tools.crm.read({ id: 1 });
        const b = await tools.crm.read({ id: 2 });
        const sent = await tools.mail.send({ to: 'ann@example.com', n: a.n + b.n });
        return { a: a.n, b: b.n, sent };
        """;

    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task Suspend_ThenResumeApproved_InAnotherInstance_ReplaysTheLogAndRunsTheCallOnce(string kind)
    {
        var cache = StateStores.Cache(kind);
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var counted = new Counted();
        ScriptOutcome suspended;
        using (var first = Harness(StateStores.Store(cache, prefix), counted))
        {
            suspended = await RunOneAsync(first, Script);
        }

        Assert.Equal(ScriptStatus.Suspended, suspended.Status);
        Assert.Null(suspended.Error);
        var suspension = Assert.IsType<ScriptSuspension>(suspended.Suspension);
        Assert.Equal("mail.send", suspension.Tool);
        Assert.Equal("ann@example.com", (string?)suspension.Arguments?["to"]);
        Assert.EndsWith("#3", suspension.CallId, StringComparison.Ordinal);
        Assert.Equal((2, 0), (counted.Reads, counted.Sends));

        // The call it waits at is listed as waiting, not as failed: nothing was refused yet.
        var pending = Assert.Single(suspended.Calls, c => c.CallId == suspension.CallId);
        Assert.Equal((ToolCallStatus.Suspended, null), (pending.Status, pending.Error));
        Assert.All(suspended.Calls.Where(c => c != pending), c => Assert.Equal(ToolCallStatus.Succeeded, c.Status));

        // The host restarted: a new instance on the same store continues.
        using var second = Harness(StateStores.Store(cache, prefix), counted);
        var resumed = await second.ResumeAsync(suspension.Token, ApprovalDecision.Approve);

        Assert.Equal(ScriptStatus.Ok, resumed.Status);
        Assert.Equal(1, (int)resumed.Value!["a"]!);
        Assert.Equal(2, (int)resumed.Value!["b"]!);
        Assert.Equal("ann@example.com", (string?)resumed.Value!["sent"]!["sent"]);
        Assert.Equal((2, 1), (counted.Reads, counted.Sends)); // the logged reads were not run again
        Assert.Equal(suspended.Sha256, resumed.Sha256);
    }

    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task ResumeDenied_RefusesTheCallWithApprovalDenied_AndTheScriptGoesOn(string kind)
    {
        var store = StateStores.Store(kind);
        var counted = new Counted();
        using var harness = Harness(store, counted);
        var suspended = await RunOneAsync(harness, """
            const a = await tools.crm.read({ id: 1 });
            try { await tools.mail.send({ to: 'bob@example.com' }); return 'sent'; }
            catch (e) { return e.code + ':' + a.n; }
            """);

        var resumed = await harness.ResumeAsync(suspended.Suspension!.Token, ApprovalDecision.Deny("not today"));

        Assert.Equal(ScriptStatus.Ok, resumed.Status);
        Assert.Equal("approval_denied:1", (string?)resumed.Value);
        Assert.Equal((1, 0), (counted.Reads, counted.Sends));
    }

    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task TwoSuspensionsInOneScript_EachGetsItsOwnToken(string kind)
    {
        var store = StateStores.Store(kind);
        var counted = new Counted();
        using var harness = Harness(store, counted);
        var first = await RunOneAsync(harness, """
            const a = await tools.crm.read({});
            await tools.mail.send({ to: 'one@example.com' });
            const b = await tools.crm.read({});
            await tools.mail.send({ to: 'two@example.com' });
            return a.n + b.n;
            """);
        Assert.Equal("one@example.com", (string?)first.Suspension!.Arguments!["to"]);

        var second = await harness.ResumeAsync(first.Suspension.Token, ApprovalDecision.Approve);
        Assert.Equal(ScriptStatus.Suspended, second.Status);
        Assert.Equal("two@example.com", (string?)second.Suspension!.Arguments!["to"]);
        Assert.NotEqual(first.Suspension.Token, second.Suspension.Token);

        var done = await harness.ResumeAsync(second.Suspension.Token, ApprovalDecision.Approve);
        Assert.Equal(ScriptStatus.Ok, done.Status);
        Assert.Equal(3, (int)done.Value!);
        Assert.Equal((2, 2), (counted.Reads, counted.Sends));
    }

    [Fact]
    public async Task ATokenUsedTwice_AndAnUnknownOne_AreResumeTokenUnknown()
    {
        var store = StateStores.Store(StateStores.Memory);
        var counted = new Counted();
        using var harness = Harness(store, counted);
        var suspended = await RunOneAsync(harness, Script);
        Assert.Equal(ScriptStatus.Ok, (await harness.ResumeAsync(suspended.Suspension!.Token, ApprovalDecision.Approve)).Status);

        var again = await harness.ResumeAsync(suspended.Suspension.Token, ApprovalDecision.Approve);
        var unknown = await harness.ResumeAsync(new string('a', 32), ApprovalDecision.Approve);
        var malformed = await harness.ResumeAsync("not a token!", ApprovalDecision.Approve);

        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, again.Error!.Code);
        Assert.Contains("already used", again.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, unknown.Error!.Code);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, malformed.Error!.Code);
        Assert.Equal(1, counted.Sends);
    }

    [SkippableTheory]
    [MemberData(nameof(StateStores.Kinds), MemberType = typeof(StateStores))]
    public async Task ATokenResumedManyTimesAtOnce_OnTwoInstances_RunsTheApprovedCallOnce(string kind)
    {
        // A double click, a retried request, two workers handed one answer: the approval is for one run of the call.
        var cache = StateStores.Cache(kind);
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var counted = new Counted();
        using var first = Harness(StateStores.Store(cache, prefix), counted);
        using var second = Harness(StateStores.Store(kind == StateStores.Memory ? cache : StateStores.Cache(kind), prefix), counted);
        var token = (await RunOneAsync(first, Script)).Suspension!.Token;

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumes = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? first : second).ResumeAsync(token, ApprovalDecision.Approve);
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(resumes);

        Assert.Equal(1, counted.Sends);
        Assert.Single(outcomes, o => o.Status == ScriptStatus.Ok);
        Assert.All(outcomes.Where(o => o.Status != ScriptStatus.Ok), o => Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, o.Error!.Code));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ALogTheStoreCannotKeep_EndsTheBlockWithStateStoreFailed_NotSuspended(bool hang)
    {
        var store = new ResumeFailingStore(StateStores.Store(StateStores.Memory), hang);
        var counted = new Counted();
        var options = Durable with { State = new ScriptStateOptions { StoreTimeout = TimeSpan.FromMilliseconds(200) } };
        using var harness = new HarnessPipeline(options, StateStores.Engine, counted.Registry(), stateStore: store);

        var outcome = await RunOneAsync(harness, Script);

        Assert.Equal(ScriptStatus.Error, outcome.Status);
        Assert.Null(outcome.Suspension);
        Assert.Null(outcome.Value);
        Assert.Equal(
            (ScriptErrorCode.StateStoreFailed, "the block waits for approval of mail.send, but its log could not be saved to resume it later"),
            (outcome.Error!.Code, outcome.Error.Message));
        Assert.Equal(0, counted.Sends);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public async Task ALogOverMaxResumeBytes_EndsTheBlockWithStateQuotaExceeded_AndLeavesNothingInTheStore(int reads, bool suspends)
    {
        // Each read returns 40,000 characters; the record keeps every result until the call that waits. Before the bound, a
        // block of 32 calls to an MCP server (16 MiB a message) could leave 512 MB in the store, built in memory first.
        var saved = new List<string>();
        var store = new RecordingStore(StateStores.Store(StateStores.Memory), saved);
        var sends = 0;
        var registry = new ToolRegistry([
            new ToolDefinition("docs.read", "reads", new JsonObject { ["type"] = "object" },
                (_, _, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["text"] = new string('d', 40_000) })),
            new ToolDefinition("mail.send", "sends", new JsonObject { ["type"] = "object" }, (_, _, _) =>
            {
                Interlocked.Increment(ref sends);
                return ValueTask.FromResult<JsonNode?>(null);
            }) { RequiresApproval = true },
        ]);
        var options = Durable with { State = new ScriptStateOptions { MaxResumeBytes = 64 * 1024 } };
        using var harness = new HarnessPipeline(options, StateStores.Engine, registry, stateStore: store);

        var outcome = await RunOneAsync(harness, $"for (let i = 0; i < {reads}; i++) await tools.docs.read({{}}); return await tools.mail.send({{}});");

        if (suspends)
        {
            Assert.Equal(ScriptStatus.Suspended, outcome.Status);
            Assert.Single(saved);
            return;
        }

        Assert.Equal(ScriptStatus.Error, outcome.Status);
        Assert.Null(outcome.Suspension);
        Assert.Equal(ScriptErrorCode.StateQuotaExceeded, outcome.Error!.Code);
        Assert.Equal("the block waits for approval of mail.send, but the results its calls returned are over State.MaxResumeBytes (65,536 bytes): "
            + "the block cannot be kept to resume later, so it does not wait", outcome.Error.Message);
        Assert.Empty(saved);
        Assert.Equal(0, sends);
    }

    [Theory]
    [InlineData(65_535, false)]
    [InlineData(65_536, true)]
    [InlineData(268_435_456, true)]
    [InlineData(268_435_457, false)]
    public void MaxResumeBytes_IsBetween64KiBAnd256MiB(int value, bool valid) =>
        Assert.Equal(valid ? [] : ["State.MaxResumeBytes must be between 65536 and 268435456"], new ScriptStateOptions { MaxResumeBytes = value }.Validate());

    /// <summary>Lists the resume records saved.</summary>
    private sealed class RecordingStore(IScriptStateStore inner, List<string> saved) : IScriptStateStore
    {
        public ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken) => inner.LoadAsync(conversationId, cancellationToken);

        public ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken)
        {
            if (conversationId.StartsWith("$resume/", StringComparison.Ordinal))
            {
                lock (saved)
                {
                    saved.Add(conversationId);
                }
            }

            return inner.SaveAsync(conversationId, document, cancellationToken);
        }
    }

    /// <summary>Keeps conversation state but fails (or never finishes) saving a resume log.</summary>
    private sealed class ResumeFailingStore(IScriptStateStore inner, bool hang) : IScriptStateStore
    {
        public ValueTask<byte[]?> LoadAsync(string conversationId, CancellationToken cancellationToken) => inner.LoadAsync(conversationId, cancellationToken);

        public async ValueTask SaveAsync(string conversationId, byte[] document, CancellationToken cancellationToken)
        {
            if (!conversationId.StartsWith("$resume/", StringComparison.Ordinal))
            {
                await inner.SaveAsync(conversationId, document, cancellationToken);
                return;
            }

            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            throw new InvalidOperationException("connection refused");
        }
    }

    [Fact]
    public async Task AReplayThatCallsSomethingElse_EndsWithReplayDiverged_NotRetryable()
    {
        var store = StateStores.Store(StateStores.Memory);
        var counted = new Counted();
        using var harness = Harness(store, counted);

        var suspended = await RunOneAsync(harness, """
            await tools.crm.read({ id: 1 });
            await tools.mail.send({ to: 'x@example.com' });
            return 'done';
            """);
        Assert.Equal(ScriptStatus.Suspended, suspended.Status);

        // Tamper with nothing but the arguments hash the log holds: as if the script had read another id on replay.
        var document = (await store.LoadAsync("$resume/" + suspended.Suspension!.Token, CancellationToken.None))!;
        var json = JsonNode.Parse(document)!;
        json["calls"]![0]!["hash"] = new string('0', 64);
        await store.SaveAsync("$resume/" + suspended.Suspension.Token, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), CancellationToken.None);

        var resumed = await harness.ResumeAsync(suspended.Suspension.Token, ApprovalDecision.Approve);

        Assert.Equal(ScriptStatus.Error, resumed.Status);
        Assert.Equal(ScriptErrorCode.ReplayDiverged, resumed.Error!.Code);
        Assert.False(resumed.Error.Code.IsRetryable());
        Assert.Equal(0, counted.Sends);
    }

    [Fact]
    public void DurableApprovals_WithoutAStateStore_IsAConfigurationError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => new HarnessPipeline(Durable, StateStores.Engine));
        Assert.Contains(ex.Problems, p => p.Contains("DurableApprovals", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResumeAsync_OnAHarnessWithoutDurableApprovals_IsResumeTokenUnknown()
    {
        using var harness = StateStores.Harness(StateStores.Store(StateStores.Memory));
        var outcome = await harness.ResumeAsync(new string('a', 32), ApprovalDecision.Approve);
        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, outcome.Error!.Code);
    }

    private const string ClockScript = """
        const before = { now: Date.now(), date: new Date().toISOString(), r: [Math.random(), Math.random()] };
        const seen = await tools.crm.read(before);
        await tools.mail.send({ to: 'c@example.com' });
        return { before, seen: seen.args, after: { now: Date.now(), r: Math.random() }, floor: Math.floor(2.5), parsed: Date.parse('2020-01-01T00:00:00Z'), isDate: new Date() instanceof Date };
        """;

    public static TheoryData<string> Engines => ["jint", "v8"];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task DateAndMathRandom_ReplayTheFirstRunsValues_OnJintAndV8(string engine)
    {
        IScriptEngineFactory factory = engine == "v8" ? new ScriptHarness.Engines.V8.V8EngineFactory() : StateStores.Engine;
        var store = StateStores.Store(StateStores.Memory);
        var counted = new Counted();
        using var harness = new HarnessPipeline(Durable with { Engine = factory.Name }, factory, counted.Registry(), stateStore: store);
        var first = await RunOneAsync(harness, ClockScript);
        Assert.Equal(ScriptStatus.Suspended, first.Status);
        var resumed = await harness.ResumeAsync(first.Suspension!.Token, ApprovalDecision.Approve);

        // Ok, not replay_diverged: the read's arguments (the first run's time and draws) hashed the same on the replay,
        // and the logged result (the first run's values) equals what the replay computed again.
        Assert.Equal(ScriptStatus.Ok, resumed.Status);
        Assert.Equal(1, counted.Reads);
        var value = resumed.Value!;
        Assert.True(JsonNode.DeepEquals(value["before"], value["seen"]), value.ToJsonString());
        var now = (double)value["before"]!["now"]!;
        Assert.Equal(now, (double)value["after"]!["now"]!);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((long)now).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            (string?)value["before"]!["date"]);
        var r = value["before"]!["r"]!.AsArray().Select(n => (double)n!).ToList();
        Assert.All(r, x => Assert.InRange(x, 0, 1));
        Assert.NotEqual(r[0], r[1]);
        Assert.Equal(2, (int)value["floor"]!);
        Assert.Equal(1577836800000d, (double)value["parsed"]!);
        Assert.True((bool)value["isDate"]!);

        // A second resume of the same script (suspended again from scratch) sees another clock and seed: they belong to the block.
        var other = await RunOneAsync(harness, ClockScript);
        var otherDone = await harness.ResumeAsync(other.Suspension!.Token, ApprovalDecision.Approve);
        Assert.NotEqual(r[0], (double)otherDone.Value!["before"]!["r"]![0]!);
    }

    [Fact]
    public async Task DateAndMathRandom_BehaveAsUsual_WithoutDurableApprovals()
    {
        using var harness = StateStores.Harness(null);
        var outcome = Assert.Single(await StateStores.RunAsync(harness, StateStores.Blocks(
            "const a = Math.random(), b = Math.random(); return [a !== b, typeof context.$replay, Date.now() > 1.7e12];"), null));
        Assert.Equal("[true,\"undefined\",true]", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task ASuspendedResult_RoundTripsThroughJsonLinesAndMessagePack_AndShowsItsTokenAsText()
    {
        using var harness = Harness(StateStores.Store(StateStores.Memory), new Counted());
        var outcome = await RunOneAsync(harness, Script);
        var item = new ScriptResultItem(0, outcome);

        var line = ResponseItemJson.ToJsonLine(item);
        var json = JsonNode.Parse(line)!;
        Assert.Equal("suspended", (string?)json["status"]);
        Assert.Equal(outcome.Suspension!.Token, (string?)json["suspension"]!["token"]);
        Assert.Equal("mail.send", (string?)json["suspension"]!["tool"]);
        Assert.Equal("ann@example.com", (string?)json["suspension"]!["arguments"]!["to"]);
        var pending = json["calls"]!.AsArray().Single(c => (string?)c!["id"] == outcome.Suspension.CallId)!;
        Assert.Equal("suspended", (string?)pending["status"]);
        Assert.Null(pending["code"]);

        var fromJson = Assert.IsType<ScriptResultItem>(ResponseItemJson.Parse(line)).Outcome;
        var fromPack = Assert.IsType<ScriptResultItem>(ResponseItemMessagePack.Deserialize(ResponseItemMessagePack.Serialize(item))).Outcome;
        foreach (var read in new[] { fromJson, fromPack })
        {
            Assert.Equal(ScriptStatus.Suspended, read.Status);
            Assert.Equal(outcome.Suspension.Token, read.Suspension!.Token);
            Assert.Equal(outcome.Suspension.CallId, read.Suspension.CallId);
            Assert.True(JsonNode.DeepEquals(outcome.Suspension.Arguments, read.Suspension.Arguments));
            Assert.Equal(ToolCallStatus.Suspended, read.Calls.Single(c => c.CallId == outcome.Suspension.CallId).Status);
        }

        var text = ResponseItemText.Render(item);
        Assert.Contains("· suspended", text, StringComparison.Ordinal);
        Assert.Contains(", 1 suspended", text, StringComparison.Ordinal);
        Assert.Contains("resume token: " + outcome.Suspension.Token, text, StringComparison.Ordinal);
    }
}
