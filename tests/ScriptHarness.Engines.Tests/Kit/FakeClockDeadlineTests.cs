using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Engines.Jint;
using ScriptHarness.Engines.V8;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Engines.Kit;

/// <summary>
/// Script deadlines read the engine's injected clock (<see cref="ScriptHarness.Engines.ScriptDeadline"/>), on every
/// engine: a tool moves a fake clock past the time limit and the script ends <c>timeout</c> at once, with the fake
/// clock's duration. No test here waits for the wall clock.
/// </summary>
public abstract class FakeClockDeadlineTests
{
    // Under the tools' own time limit, which the fake clock moves too.
    private static readonly ScriptLimits Limits = ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(5) };

    private protected FakeTimeProvider Clock { get; } = new();

    /// <summary>An engine that reads <see cref="Clock"/>.</summary>
    private protected abstract IScriptEngineFactory Engine { get; }

    [Fact]
    public async Task Run_ClockMovedPastTheLimitByATool_EndsTimeoutWithTheFakeDuration()
    {
        var outcome = await RunAsync("await tools.t.advance({ ms: 7500 });\nawait tools.t.hang({});\nreturn 'never';");
        Assert.Equal(ScriptErrorCode.Timeout, outcome.Error?.Code);
        Assert.Equal("the script ran longer than its time limit of 5000 ms", outcome.Error!.Message);
        Assert.True(outcome.Duration >= TimeSpan.FromMilliseconds(7500), $"duration {outcome.Duration} is not the fake clock's");
    }

    [Fact]
    public async Task Run_ClockMovedWithinTheLimit_ReturnsItsValue()
    {
        var outcome = await RunAsync("await tools.t.advance({ ms: 4500 });\nreturn 'in time';");
        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("\"in time\"", outcome.Value!.ToJsonString());
        Assert.True(outcome.Duration >= TimeSpan.FromMilliseconds(4500), $"duration {outcome.Duration} is not the fake clock's");
    }

    private protected async Task<ScriptOutcome> RunAsync(string source)
    {
        var advance = new ToolDefinition("t.advance", "moves the fake clock", new JsonObject { ["type"] = "object" }, (args, _, _) =>
        {
            Clock.Advance(TimeSpan.FromMilliseconds(args!["ms"]!.GetValue<int>()));
            return ValueTask.FromResult<JsonNode?>(null);
        });
        var hang = new ToolDefinition("t.hang", "never ends by itself", new JsonObject { ["type"] = "object" }, async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var prepared = ScriptRunHelper.Prepare(source, Limits);
        var services = ScriptRunHelper.Services() with { Time = Clock };
        var bridge = new ScriptToolBridge(new ToolRegistry([advance, hang]), prepared.Context, services);
        await using var sandbox = await Engine.CreateAsync();
        var result = await sandbox.RunAsync(prepared, bridge, CancellationToken.None);
        return OutcomeComposer.Compose(0, prepared.Script.Sha256, result, bridge);
    }

    /// <summary>On Jint: the deadline constraint checks the injected clock between statements.</summary>
    public sealed class OnJint : FakeClockDeadlineTests
    {
        public OnJint() => Engine = new JintEngineFactory(time: Clock);

        private protected override IScriptEngineFactory Engine { get; }

        [Fact]
        public async Task Run_ClockMovedPastTheLimitInALoop_IsStoppedAtTheLimit()
        {
            // A loop with no tool call is stopped by Jint's own check of the clock, not by the host's watchdog. (V8 is
            // interrupted by a timer of the clock, which a fake clock fires only while it is moved.)
            var outcome = await RunAsync("await tools.t.advance({ ms: 5001 });\nwhile (true) { }");
            Assert.Equal(ScriptErrorCode.Timeout, outcome.Error?.Code);
            Assert.Equal("the script ran longer than its time limit of 5000 ms", outcome.Error!.Message);
        }
    }

    /// <summary>On V8: the interrupter is a timer of the injected clock.</summary>
    public sealed class OnV8 : FakeClockDeadlineTests
    {
        public OnV8() => Engine = new V8EngineFactory(time: Clock);

        private protected override IScriptEngineFactory Engine { get; }
    }
}
