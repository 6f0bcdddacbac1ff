using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScriptHarness.AI.Telemetry;
using ScriptHarness.AI.Tools;
using ScriptHarness.Context;
using ScriptHarness.Approvals;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.State;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tests.Telemetry;

// One class: the source and meter names are process-wide, so these tests must not run in parallel with each other.
public sealed class TelemetryTests
{
    private static readonly ToolSet Tools = new[] { Harnesses.Add, Harnesses.DeleteFile }.ToToolSet("app");

    [Fact]
    public async Task Spans_ReplyThenScriptThenOneChildPerNestedToolCall_WithGenAiToolTags()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = Create(telemetry, FixedApprovalService.ApproveAll);
        var harness = pipeline.WithTelemetry(telemetry);

        var outcome = await Harnesses.RunOneAsync(harness, "const a = await tools.app.add({ a: 1, b: 2 }); return await tools.app.add({ a: a, b: 3 });");

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var reply = Assert.Single(spans, s => s.OperationName == "scriptharness.reply");
        var script = Assert.Single(spans, s => s.OperationName == "execute_script");
        var calls = spans.Where(s => s.OperationName == "execute_tool").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(reply.SpanId, script.ParentSpanId);
        Assert.Equal("jint", script.GetTagItem("scriptharness.engine"));
        Assert.Equal("ok", script.GetTagItem("scriptharness.status"));
        Assert.Equal(2, script.GetTagItem("scriptharness.script.tool_calls"));
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(script.SpanId, c.ParentSpanId));
        Assert.All(calls, c => Assert.Equal("app.add", c.GetTagItem("gen_ai.tool.name")));
        Assert.Equal(outcome.Calls[0].CallId, calls[0].GetTagItem("gen_ai.tool.call.id"));
        Assert.Equal(outcome.Calls[1].CallId, calls[1].GetTagItem("gen_ai.tool.call.id"));
        Assert.All(calls, c => Assert.Null(c.GetTagItem("gen_ai.tool.call.arguments")));
        Assert.All(calls, c => Assert.Null(c.GetTagItem("gen_ai.tool.call.result")));
    }

    [Theory]
    [InlineData("conv-plain", "session-1", "turn-1")]
    [InlineData("anna b", "s\u00e9ance", "turn 1")]
    public async Task Spans_TheScriptIsTheChildOfItsReply_WhateverItsIds(string conversation, string session, string turn)
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = Create(telemetry, FixedApprovalService.ApproveAll);
        var harness = pipeline.WithTelemetry(telemetry);

        var outcome = await Harnesses.RunOneAsync(harness, "return 1;", new RunOptions { Identity = new RunIdentity(conversation, session, turn) });

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var reply = Assert.Single(spans, s => s.OperationName == "scriptharness.reply");
        var script = Assert.Single(spans, s => s.OperationName == "execute_script");
        Assert.Equal(reply.SpanId, script.ParentSpanId);
        Assert.Equal(reply.TraceId, script.TraceId);

        // The engine layer looks the reply up by its script's context before it falls back to the current activity, which
        // hides a key that misses here: the key of the reply's ids and of its scripts' contexts must be one.
        var identity = new RunIdentity(conversation, session, turn);
        Assert.Equal(TelemetryNames.ReplyKey(identity), TelemetryNames.ReplyKey(ScriptContextFactory.Create(identity, 0, ToolMode.Enabled, ScriptLimits.Default)));
    }

    [Fact]
    public async Task Spans_WithSensitiveDataEnabled_CarryToolArgumentsAndResults()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        using var telemetry = new ScriptHarnessTelemetry(new ScriptHarnessTelemetryOptions { EnableSensitiveData = true });
        using var pipeline = Create(telemetry, FixedApprovalService.ApproveAll);

        await Harnesses.RunOneAsync(pipeline.WithTelemetry(telemetry), "return await tools.app.add({ a: 1, b: 2 });");

        var call = Assert.Single(spans, s => s.OperationName == "execute_tool");
        Assert.Equal("""{"a":1,"b":2}""", call.GetTagItem("gen_ai.tool.call.arguments"));
        Assert.Equal("3", call.GetTagItem("gen_ai.tool.call.result"));
    }

    [Fact]
    public async Task Spans_AFailedScript_CarriesItsErrorCode()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = Create(telemetry, FixedApprovalService.ApproveAll);

        await Harnesses.RunOneAsync(pipeline.WithTelemetry(telemetry), "throw new Error('boom');");

        var script = Assert.Single(spans, s => s.OperationName == "execute_script");
        Assert.Equal("runtime_error", script.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, script.Status);
    }

    [Fact]
    public async Task Metrics_CountScriptsToolCallsApprovalsAndLimitHits()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(metrics).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = Create(telemetry, FixedApprovalService.DenyAllWith("no"), new ScriptLimits { MaxToolCalls = 2 });
        var harness = pipeline.WithTelemetry(telemetry);

        await Harnesses.RunOneAsync(harness, "return await tools.app.add({ a: 1, b: 2 });");
        await Harnesses.RunOneAsync(harness, "return await tools.app.delete_file({ path: 'x' });");
        await Harnesses.RunOneAsync(harness, "for (let i = 0; i < 3; i++) { await tools.app.add({ a: i, b: i }); }");
        meters.ForceFlush();

        Assert.Equal(1, Sum(metrics, "scriptharness.scripts", ("scriptharness.status", "ok")));
        Assert.Equal(1, Sum(metrics, "scriptharness.scripts", ("error.type", "approval_denied")));
        Assert.Equal(1, Sum(metrics, "scriptharness.scripts", ("error.type", "tool_budget_exceeded")));
        Assert.Equal(3, Sum(metrics, "scriptharness.tool_calls", ("gen_ai.tool.name", "app.add"), ("scriptharness.status", "ok")));
        Assert.Equal(1, Sum(metrics, "scriptharness.tool_calls", ("gen_ai.tool.name", "app.delete_file"), ("scriptharness.status", "error")));
        Assert.Equal(1, Sum(metrics, "scriptharness.approvals", ("scriptharness.approval.outcome", "denied")));
        Assert.Equal(1, Sum(metrics, "scriptharness.limit_hits", ("scriptharness.limit", "tool_budget_exceeded")));
        Assert.Contains(metrics, m => m.Name == "scriptharness.script.duration");
        Assert.Contains(metrics, m => m.Name == "scriptharness.engine.sandboxes");
    }

    [Fact]
    public async Task OnlyAWarningLogger_StillHearsOfALimitHit_AndNoDebugMessage()
    {
        // No span or metric listener: the logger alone makes the harness layer observe the reply.
        var logs = new CapturingLoggerProvider(LogLevel.Warning);
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(logs));
        using var telemetry = new ScriptHarnessTelemetry(new ScriptHarnessTelemetryOptions { LoggerFactory = factory });
        using var pipeline = Create(telemetry, FixedApprovalService.DenyAllWith("no"), new ScriptLimits { MaxToolCalls = 1 });

        await Harnesses.RunOneAsync(pipeline.WithTelemetry(telemetry), "for (let i = 0; i < 3; i++) { await tools.app.add({ a: i, b: i }); }");

        var warning = Assert.Single(logs.Messages);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("tool_budget_exceeded", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NobodyListening_TheHarnessLayerGoesStraightToTheInnerHarness()
    {
        using var telemetry = new ScriptHarnessTelemetry();
        var inner = new RecordingHarness();

        await foreach (var item in inner.WithTelemetry(telemetry).RunAsync("<tool-calls>return 1;</tool-calls>"))
        {
            Assert.IsType<TextItem>(item);
        }

        Assert.Equal(["RunAsync"], inner.Calls);
    }

    [Fact]
    public void NobodyListening_TheHarnessLayerPassesTheInnerStreamsThroughAndAllocatesNothing()
    {
        using var telemetry = new ScriptHarnessTelemetry();
        var inner = new FixedStreamsHarness();
        var harness = inner.WithTelemetry(telemetry);
        var chunks = AsyncEnumerable.Empty<string>();
        var channel = Channel.CreateUnbounded<string>().Reader;
        var utf8 = "<tool-calls>return 1;</tool-calls>"u8.ToArray().AsMemory();

        // Every member, so a closure or wrapper on any idle path shows up in the bytes allocated on this thread.
        long CallEach()
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Same(inner.Items, harness.RunAsync("reply"));
            Assert.Same(inner.Items, harness.RunAsync(utf8));
            Assert.Same(inner.Items, harness.RunStreamingAsync(chunks));
            Assert.Same(inner.Items, harness.RunStreamingAsync(channel));
            Assert.Same(inner.Events, harness.RunEventsAsync("reply"));
            Assert.Same(inner.Events, harness.RunStreamingEventsAsync(chunks));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        CallEach(); // the first calls compile and initialise
        Assert.Equal(0, CallEach());
    }

    [Fact]
    public async Task NobodyListening_TheEngineLayerHandsOutTheInnerSandboxItself()
    {
        using var telemetry = new ScriptHarnessTelemetry();
        var inner = new FixedSandboxEngine();

        await using var sandbox = await inner.WithTelemetry(telemetry).CreateAsync();

        Assert.Same(inner.Sandbox, sandbox);
    }

    [Fact]
    public async Task SomeoneObservingTheSandboxCount_TheEngineLayerCountsTheSandboxesItHandsOut()
    {
        using var telemetry = new ScriptHarnessTelemetry();
        long? observed = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == telemetry.Meter && instrument.Name == "scriptharness.engine.sandboxes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        var inner = new FixedSandboxEngine();

        var sandbox = await inner.WithTelemetry(telemetry).CreateAsync();
        listener.RecordObservableInstruments();
        var whileAlive = observed;
        await sandbox.DisposeAsync();
        listener.RecordObservableInstruments();

        Assert.NotSame(inner.Sandbox, sandbox);
        Assert.Equal(1, whileAlive);
        Assert.Equal(0, observed);
        Assert.True(inner.Sandbox.Disposed);
    }

    [Fact]
    public async Task SomeoneListening_TheHarnessLayerObservesTheEventStream()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(metrics).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        var inner = new RecordingHarness();

        await foreach (var item in inner.WithTelemetry(telemetry).RunAsync("<tool-calls>return 1;</tool-calls>"))
        {
            Assert.IsType<TextItem>(item);
        }

        Assert.Equal(["RunEventsAsync"], inner.Calls);
    }

    [Fact]
    public async Task Spans_AResume_HasItsOwnSpan_WithTheBlocksConversationAndOutcome_ParentOfTheScriptSpan()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = CreateDurable(telemetry);
        var harness = pipeline.WithTelemetry(telemetry);
        var suspended = await Harnesses.RunOneAsync(harness, "const a = await tools.app.add({ a: 1, b: 2 }); return await tools.app.delete_file({ path: 'resumed-span.txt' });",
            new RunOptions { Identity = new RunIdentity("conv-resumed", "session", "turn-1") });
        Assert.Equal(ScriptStatus.Suspended, suspended.Status);
        spans.Clear();

        var outcome = await harness.ResumeAsync(suspended.Suspension!.Token, ApprovalDecision.Approve);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var resume = Assert.Single(spans, s => s.OperationName == "scriptharness.resume");
        Assert.Equal("conv-resumed", resume.GetTagItem("gen_ai.conversation.id"));
        Assert.Equal("ok", resume.GetTagItem("scriptharness.status"));
        Assert.Null(resume.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, resume.Status);
        var script = Assert.Single(spans, s => s.OperationName == "execute_script");
        Assert.Equal(resume.SpanId, script.ParentSpanId);
        Assert.Equal("conv-resumed", script.GetTagItem("gen_ai.conversation.id"));
        Assert.Equal(2, spans.Count(s => s.OperationName == "execute_tool" && s.ParentSpanId == script.SpanId));
        Assert.DoesNotContain(spans, s => s.OperationName == "scriptharness.reply");
    }

    [Fact]
    public async Task Spans_AResumeWithAnUnknownToken_CarriesTheCode_AndIsAnError()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = CreateDurable(telemetry);

        var outcome = await pipeline.WithTelemetry(telemetry).ResumeAsync(new string('b', 32), ApprovalDecision.Approve);

        Assert.Equal(ScriptErrorCode.ResumeTokenUnknown, outcome.Error!.Code);
        var resume = Assert.Single(spans, s => s.OperationName == "scriptharness.resume");
        Assert.Equal("error", resume.GetTagItem("scriptharness.status"));
        Assert.Equal("resume_token_unknown", resume.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, resume.Status);
        Assert.Null(resume.GetTagItem("gen_ai.conversation.id"));
    }

    [Fact]
    public async Task Metrics_AResume_CountsItsScript_ItsToolCalls_AndTheDecision()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ScriptHarnessTelemetry.SourceName).AddInMemoryExporter(metrics).Build();
        using var telemetry = new ScriptHarnessTelemetry();
        using var pipeline = CreateDurable(telemetry);
        var harness = pipeline.WithTelemetry(telemetry);
        var suspended = await Harnesses.RunOneAsync(harness, """
            try { await tools.app.delete_file({ path: 'resumed-metrics.txt' }); } catch (e) { return e.code; }
            """);

        var events = new List<HarnessEvent>();
        await foreach (var e in harness.ResumeEventsAsync(suspended.Suspension!.Token, ApprovalDecision.Deny("no")))
        {
            events.Add(e);
        }

        meters.ForceFlush();
        Assert.Equal("approval_denied", (string?)Assert.IsType<ScriptResultItem>(Assert.IsType<ResponseItemEvent>(events[^1]).Item).Outcome.Value);
        Assert.Equal(1, Sum(metrics, "scriptharness.scripts", ("scriptharness.status", "suspended")));
        Assert.Equal(1, Sum(metrics, "scriptharness.scripts", ("scriptharness.status", "ok")));
        Assert.Equal(1, Sum(metrics, "scriptharness.approvals", ("scriptharness.approval.outcome", "denied")));
        // The first run's call waited (suspended); the resume's was refused (error).
        Assert.Equal(1, Sum(metrics, "scriptharness.tool_calls", ("gen_ai.tool.name", "app.delete_file"), ("scriptharness.status", "suspended")));
        Assert.Equal(1, Sum(metrics, "scriptharness.tool_calls", ("gen_ai.tool.name", "app.delete_file"), ("scriptharness.status", "error")));
    }

    private static HarnessPipeline CreateDurable(ScriptHarnessTelemetry telemetry) =>
        new(new ScriptHarnessOptions { DurableApprovals = true }, new JintEngineFactory().WithTelemetry(telemetry), new ToolRegistry(Tools.Tools),
            stateStore: new DistributedCacheScriptStateStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))));

    private static HarnessPipeline Create(ScriptHarnessTelemetry telemetry, IApprovalService approvals, ScriptLimits? limits = null) =>
        new(new ScriptHarnessOptions { Limits = limits ?? new ScriptLimits() }, new JintEngineFactory().WithTelemetry(telemetry),
            new ToolRegistry(Tools.Tools), approvals);

    private static long Sum(List<Metric> metrics, string name, params (string Key, string Value)[] tags)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var found = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    found[tag.Key] = tag.Value;
                }

                if (tags.All(t => found.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
                {
                    total += point.GetSumLong();
                }
            }
        }

        return total;
    }

    /// <summary>Hands out the same streams every time, so the layer above can be checked for passing them through.</summary>
    private sealed class FixedStreamsHarness : IScriptHarness
    {
        public IAsyncEnumerable<ResponseItem> Items { get; } = AsyncEnumerable.Empty<ResponseItem>();

        public IAsyncEnumerable<HarnessEvent> Events { get; } = AsyncEnumerable.Empty<HarnessEvent>();

        public IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => Items;

        public IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default) => Items;

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => Items;

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => Items;

        public IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => Events;

        public IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => Events;
    }

    /// <summary>An engine whose one sandbox never runs anything: the layer above is checked for what it hands out.</summary>
    private sealed class FixedSandboxEngine : IScriptEngineFactory
    {
        public NoopSandbox Sandbox { get; } = new();

        public string Name => "fixed";

        public EngineCapabilities Capabilities => EngineCapabilities.None;

        public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IScriptSandbox>(Sandbox);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
    }

    private sealed class NoopSandbox : IScriptSandbox
    {
        public bool Disposed { get; private set; }

        public ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the tests only create and dispose this sandbox");

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Records which of its members the layer above called.</summary>
    private sealed class RecordingHarness : IScriptHarness
    {
        public List<string> Calls { get; } = [];

        public IAsyncEnumerable<ResponseItem> RunAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => Items("RunAsync");

        public IAsyncEnumerable<ResponseItem> RunAsync(ReadOnlyMemory<byte> utf8Reply, RunOptions? options = null, CancellationToken cancellationToken = default) => Items("RunAsync(bytes)");

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => Items("RunStreamingAsync");

        public IAsyncEnumerable<ResponseItem> RunStreamingAsync(ChannelReader<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => Items("RunStreamingAsync(channel)");

        public IAsyncEnumerable<HarnessEvent> RunEventsAsync(string reply, RunOptions? options = null, CancellationToken cancellationToken = default) => Events("RunEventsAsync");

        public IAsyncEnumerable<HarnessEvent> RunStreamingEventsAsync(IAsyncEnumerable<string> chunks, RunOptions? options = null, CancellationToken cancellationToken = default) => Events("RunStreamingEventsAsync");

        private async IAsyncEnumerable<ResponseItem> Items(string member, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Calls.Add(member);
            await Task.Yield();
            yield return new TextItem(0, "recorded");
        }

        private async IAsyncEnumerable<HarnessEvent> Events(string member, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Calls.Add(member);
            await Task.Yield();
            yield return new ResponseItemEvent(0, DateTimeOffset.UnixEpoch, new TextItem(0, "recorded"));
        }
    }

    private sealed class CapturingLoggerProvider(LogLevel minimum) : ILoggerProvider, ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (Messages)
                {
                    Messages.Add((logLevel, formatter(state, exception)));
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
