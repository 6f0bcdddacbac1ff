using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

public sealed class TestToolSetTests
{
    private static ToolSet CreateSut(TimeProvider? time = null) => TestToolSet.Create(time);

    [Fact]
    public void Create_HasTheFourTestTools()
    {
        var set = CreateSut();

        Assert.Equal("test", set.Name);
        Assert.Equal(["test.counter", "test.echo", "test.fail", "test.sleep"], set.Tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(set.Tools, t => Assert.False(t.RequiresApproval));
    }

    [Fact]
    public async Task Echo_Object_ReturnsAnEqualCopy()
    {
        var arguments = JsonNode.Parse("""{ "a": 1, "b": [true, null, "ü"], "c": { "d": 1.5 } }""");

        var result = await CreateSut().InvokeAsync("test.echo", arguments);

        Assert.True(JsonNode.DeepEquals(arguments, result));
        Assert.NotSame(arguments, result);
    }

    [Fact]
    public async Task Echo_NoArguments_ReturnsEmptyObject()
    {
        var result = await CreateSut().InvokeAsync("test.echo", arguments: null);

        Assert.Equal("{}", result!.ToJsonString());
    }

    [Fact]
    public async Task Echo_NonObject_FailsValidation()
    {
        var error = await CreateSut().FailsAsync("test.echo", "[1, 2]");

        Assert.Equal("tool_validation_failed", error.Code);
    }

    [Fact]
    public async Task Sleep_CompletesOnlyWhenTheClockReachesMs()
    {
        var time = new FakeTimeProvider();
        var sleep = CreateSut(time).InvokeAsync("test.sleep", JsonNode.Parse("""{ "ms": 1000 }""")).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(sleep.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await sleep;

        Assert.Equal(1000, (int?)result!["slept"]);
    }

    [Fact]
    public async Task Sleep_Zero_CompletesAtOnce()
    {
        var result = await CreateSut(new FakeTimeProvider()).InvokeAsync("test.sleep", """{ "ms": 0 }""");

        Assert.Equal(0, (int?)result!["slept"]);
    }

    [Fact]
    public async Task Sleep_Cancelled_ThrowsOperationCanceled()
    {
        var time = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();
        var sleep = CreateSut(time).InvokeAsync("test.sleep", JsonNode.Parse("""{ "ms": 60000 }"""), cancellationToken: cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleep);
    }

    [Theory]
    [InlineData("{}", "argument 'ms' is required")]
    [InlineData("""{ "ms": -1 }""", "argument 'ms' must be an integer between 0 and 60000")]
    [InlineData("""{ "ms": 60001 }""", "argument 'ms' must be an integer between 0 and 60000")]
    [InlineData("""{ "ms": "10" }""", "argument 'ms' must be an integer between 0 and 60000")]
    public async Task Sleep_BadArguments_FailValidation(string arguments, string message)
    {
        var error = await CreateSut(new FakeTimeProvider()).FailsAsync("test.sleep", arguments);

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Fail_Message_ThrowsExecutionErrorWithThatMessage()
    {
        var error = await CreateSut().FailsAsync("test.fail", """{ "message": "disk on fire" }""");

        Assert.Equal("tool_execution_failed", error.Code);
        Assert.Equal("disk on fire", error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task Fail_NoMessage_FailsValidation()
    {
        var error = await CreateSut().FailsAsync("test.fail", "{}");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("argument 'message' is required", error.Message);
    }

    [Fact]
    public async Task Counter_CountsPerScript()
    {
        var set = CreateSut();
        var first = ToolTestExtensions.Script("turn-1/s0");
        var second = ToolTestExtensions.Script("turn-1/s1");

        var counts = new List<int>();
        foreach (var script in new[] { first, first, second, first, second })
        {
            counts.Add((int)(await set.InvokeAsync("test.counter", arguments: null, script))!["count"]!);
        }

        Assert.Equal([1, 2, 1, 3, 2], counts);
    }

    [Fact]
    public async Task Counter_EachToolSetInstance_HasItsOwnCounts()
    {
        var script = ToolTestExtensions.Script();
        await CreateSut().InvokeAsync("test.counter", arguments: null, script);

        var result = await CreateSut().InvokeAsync("test.counter", arguments: null, script);

        Assert.Equal(1, (int?)result!["count"]);
    }

    [Fact]
    public async Task Counter_ConcurrentCalls_CountEachCallOnce()
    {
        var set = CreateSut();
        var script = ToolTestExtensions.Script();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(async () => (int)(await set.InvokeAsync("test.counter", new JsonObject(), script))!["count"]!)));

        Assert.Equal(Enumerable.Range(1, 200), results.Order());
    }

    [Fact]
    public async Task Counter_UnexpectedArgument_FailsValidation()
    {
        var error = await CreateSut().FailsAsync("test.counter", """{ "reset": true }""");

        Assert.Equal("tool_validation_failed", error.Code);
        Assert.Equal("unknown argument 'reset'; expected: none", error.Message);
    }
}
