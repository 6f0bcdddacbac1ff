using System.Text.Json.Nodes;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class EngineContractTests
{
    [Fact]
    public async Task DelegatingFactory_PassesEveryCallToTheInnerEngine()
    {
        var inner = new InnerEngine();
        var sut = new PassThrough(inner);

        await using var sandbox = await sut.CreateAsync();

        Assert.Equal("inner", sut.Name);
        Assert.Equal(EngineCapabilities.Managed, sut.Capabilities);
        Assert.Same(inner.Sandbox, sandbox);
    }

    [Fact]
    public void GetService_FindsTheLayerItselfAndWhatTheInnerEngineOffers()
    {
        var inner = new InnerEngine();
        IScriptEngineFactory sut = new PassThrough(inner);

        Assert.Same(sut, sut.GetService<PassThrough>());
        Assert.Same(inner, sut.GetService<InnerEngine>());
        Assert.Same(inner.Settings, sut.GetService<Settings>());
        Assert.Null(sut.GetService<Settings>(serviceKey: "other"));
        Assert.Null(sut.GetService<string>());
    }

    [Fact]
    public async Task DelegatingFactory_PassesTheCancellationTokenOn()
    {
        var inner = new InnerEngine();
        using var cts = new CancellationTokenSource();

        await using var sandbox = await new PassThrough(inner).CreateAsync(cts.Token);

        Assert.Equal(cts.Token, inner.LastToken);
    }

    [Fact]
    public void DelegatingFactory_WithAKey_AsksTheInnerEngineEvenForItsOwnType()
    {
        var inner = new InnerEngine();
        IScriptEngineFactory sut = new PassThrough(inner);

        Assert.Null(sut.GetService(typeof(PassThrough), "keyed"));
        Assert.Same(inner.KeyedSettings, sut.GetService(typeof(Settings), "keyed"));
    }

    [Fact]
    public void DelegatingFactory_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("innerFactory", () => new PassThrough(null!));
        Assert.Throws<ArgumentNullException>("serviceType", () => new PassThrough(new InnerEngine()).GetService(null!));
        Assert.Throws<ArgumentNullException>("error", () => EngineResult.Failure(null!));
    }

    [Fact]
    public void GetService_WithAKey_IsNotAnsweredByTheDefaultImplementation()
    {
        IScriptEngineFactory sut = new PlainEngine();
        Assert.Same(sut, sut.GetService(typeof(PlainEngine)));
        Assert.Same(sut, sut.GetService<IScriptEngineFactory>());
        Assert.Null(sut.GetService(typeof(PlainEngine), "key"));
        Assert.Null(sut.GetService<Settings>());
    }

    [Fact]
    public void ToolResult_IsAValueEitherWay()
    {
        var ok = ToolResult.Success(JsonValue.Create(1));
        var failed = ToolResult.Failure(ScriptErrorCode.ToolExecutionFailed, "it broke");

        Assert.True(ok.IsSuccess);
        Assert.Null(ok.Error);
        Assert.False(failed.IsSuccess);
        Assert.Equal("tool_execution_failed", failed.Error.WireCode);
        Assert.Null(failed.Value);
        Assert.True(default(ToolResult).IsSuccess);
    }

    [Fact]
    public void EngineResult_FailureMayCarryAPreview()
    {
        var result = EngineResult.Failure(new ScriptError(ScriptErrorCode.ReturnValueTooLarge, "big"), JsonValue.Create("[1,2"));
        Assert.False(result.IsSuccess);
        Assert.Equal("[1,2", result.Value!.GetValue<string>());
        Assert.False(result.RetireRuntime);
    }

    private sealed record Settings;

    private sealed class PassThrough(IScriptEngineFactory inner) : DelegatingScriptEngineFactory(inner);

    private sealed class InnerEngine : IScriptEngineFactory
    {
        public Settings Settings { get; } = new();

        public Settings KeyedSettings { get; } = new();

        public IScriptSandbox Sandbox { get; } = new NoSandbox();

        public string Name => "inner";

        public EngineCapabilities Capabilities => EngineCapabilities.Managed;

        public CancellationToken LastToken { get; private set; }

        public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default)
        {
            LastToken = cancellationToken;
            return ValueTask.FromResult(Sandbox);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is "keyed" && serviceType == typeof(Settings) ? KeyedSettings
            : serviceKey is null && serviceType == typeof(Settings) ? Settings
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    // Implements only what an engine must: GetService comes from the interface.
    private sealed class PlainEngine : IScriptEngineFactory
    {
        public string Name => "plain";

        public EngineCapabilities Capabilities => EngineCapabilities.None;

        public ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IScriptSandbox>(new NoSandbox());
    }

    private sealed class NoSandbox : IScriptSandbox
    {
        public ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken) =>
            ValueTask.FromResult(EngineResult.Success(null));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
