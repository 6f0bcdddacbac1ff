using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.AI.Telemetry;

/// <summary>
/// An engine that traces what the engine it wraps runs: a span per script (<c>execute_script</c>: engine, status,
/// error code, durations, tool-call count) with a child span per nested tool call (<c>execute_tool</c>, with
/// <c>gen_ai.tool.name</c> and <c>gen_ai.tool.call.id</c>; arguments and results only with
/// <see cref="ScriptHarnessTelemetryOptions.EnableSensitiveData"/>), and counts the sandboxes alive. When nothing
/// listens to the spans or observes the sandbox count, the inner engine's sandbox is handed out as it is; when nothing
/// listens to the spans, a script goes straight to the inner sandbox.
/// </summary>
/// <remarks>
/// The sandbox count covers the sandboxes handed out while someone listened: one handed out before is neither counted
/// nor uncounted, so the count is right again once those sandboxes are gone (a sandbox runs one script).
/// </remarks>
public sealed class TelemetryScriptEngineFactory : DelegatingScriptEngineFactory
{
    private readonly ScriptHarnessTelemetry _telemetry;

    /// <summary>Wraps <paramref name="innerFactory"/>.</summary>
    public TelemetryScriptEngineFactory(IScriptEngineFactory innerFactory, ScriptHarnessTelemetry telemetry)
        : base(innerFactory) => _telemetry = telemetry ?? throw new ArgumentNullException(nameof(telemetry));

    /// <inheritdoc />
    public override ValueTask<IScriptSandbox> CreateAsync(CancellationToken cancellationToken = default) =>
        _telemetry.EngineEnabled ? CreateObservedAsync(cancellationToken) : InnerFactory.CreateAsync(cancellationToken);

    private async ValueTask<IScriptSandbox> CreateObservedAsync(CancellationToken cancellationToken)
    {
        var sandbox = await InnerFactory.CreateAsync(cancellationToken).ConfigureAwait(false);
        _telemetry.SandboxCreated();
        return new Sandbox(sandbox, this);
    }

    private sealed class Sandbox(IScriptSandbox inner, TelemetryScriptEngineFactory engine) : IScriptSandbox
    {
        private int _disposed;

        public ValueTask<EngineResult> RunAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken) =>
            engine._telemetry.Source.HasListeners() ? TracedAsync(script, tools, cancellationToken) : inner.RunAsync(script, tools, cancellationToken);

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                engine._telemetry.SandboxDisposed();
            }

            return inner.DisposeAsync();
        }

        private async ValueTask<EngineResult> TracedAsync(PreparedScript script, IToolBridge tools, CancellationToken cancellationToken)
        {
            var telemetry = engine._telemetry;
            var parent = telemetry.Replies.TryGetValue(TelemetryNames.ReplyKey(script.Context), out var reply) ? reply : Activity.Current?.Context ?? default;
            using var activity = telemetry.Source.StartActivity(TelemetryNames.ScriptSpan, ActivityKind.Internal, parent);
            if (activity is null)
            {
                return await inner.RunAsync(script, tools, cancellationToken).ConfigureAwait(false);
            }

            activity.DisplayName = $"{TelemetryNames.ScriptSpan} {script.Context.ScriptId}";
            activity.SetTag(TelemetryNames.Engine, engine.Name);
            activity.SetTag(TelemetryNames.Isolation, engine.Capabilities.ToString());
            activity.SetTag(TelemetryNames.ScriptId, script.Context.ScriptId);
            activity.SetTag(TelemetryNames.ConversationId, script.Context.ConversationId);
            var bridge = new Bridge(tools, telemetry, activity.Context, script.Context.ScriptId);
            var result = await inner.RunAsync(script, bridge, cancellationToken).ConfigureAwait(false);
            activity.SetTag(TelemetryNames.Status, result.IsSuccess ? "ok" : "error");
            activity.SetTag(TelemetryNames.ToolCallCount, bridge.Calls);
            activity.SetTag(TelemetryNames.EngineDurationMs, result.Duration.TotalMilliseconds);
            if (result.Error is { } error)
            {
                activity.SetTag(TelemetryNames.ErrorType, error.WireCode);
                activity.SetStatus(ActivityStatusCode.Error, error.WireCode);
            }

            return result;
        }
    }

    /// <summary>The script's door to the host, with a span around each call.</summary>
    private sealed class Bridge(IToolBridge inner, ScriptHarnessTelemetry telemetry, ActivityContext script, string scriptId) : IToolBridge
    {
        private int _calls;
        private int _numbered;

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyCollection<string> ToolNames => inner.ToolNames;

        public TimeSpan PausedTime => inner.PausedTime;

        public async ValueTask<ToolResult> InvokeAsync(string tool, JsonNode? args, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);

            // The harness numbers the calls to registered tools only; the id matches its call ids in results and events.
            var callId = inner.ToolNames.Contains(tool) ? $"{scriptId}#{Interlocked.Increment(ref _numbered)}" : null;
            using var activity = telemetry.Source.StartActivity(TelemetryNames.ToolSpan, ActivityKind.Internal, script);
            if (activity is null)
            {
                return await inner.InvokeAsync(tool, args, cancellationToken).ConfigureAwait(false);
            }

            activity.DisplayName = $"{TelemetryNames.ToolSpan} {tool}";
            activity.SetTag(TelemetryNames.OperationName, TelemetryNames.ToolSpan);
            activity.SetTag(TelemetryNames.ToolName, tool);
            activity.SetTag(TelemetryNames.ToolType, "function");
            if (callId is not null)
            {
                activity.SetTag(TelemetryNames.ToolCallId, callId);
            }

            if (telemetry.Options.EnableSensitiveData)
            {
                activity.SetTag(TelemetryNames.ToolArguments, args?.ToJsonString() ?? "null");
            }

            var result = await inner.InvokeAsync(tool, args, cancellationToken).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                activity.SetTag(TelemetryNames.ErrorType, error.WireCode);
                activity.SetStatus(ActivityStatusCode.Error, error.WireCode);
            }
            else if (telemetry.Options.EnableSensitiveData)
            {
                activity.SetTag(TelemetryNames.ToolResult, result.Value?.ToJsonString() ?? "null");
            }

            return result;
        }

        public void Progress(string message) => inner.Progress(message);

        public void Log(LogLevel level, string message) => inner.Log(level, message);
    }
}
