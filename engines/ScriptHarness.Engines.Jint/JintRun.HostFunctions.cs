using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <content>The host functions handed to the prelude: the only code the script can make the host run.</content>
internal sealed partial class JintRun
{
    private ClrFunction CreateHostCall(Engine engine) => new(engine, "call", (thisObj, args) =>
    {
        var name = args.Length > 0 && args[0].IsString() ? args[0].AsString() : string.Empty;
        var json = args.Length > 1 && args[1].IsString() ? args[1].AsString() : null;
        var (promise, resolve, _) = engine.Advanced.RegisterPromise();
        _completions.CallStarted();
        ValueTask<JsonNode?> call;
        try
        {
            call = _tools.InvokeAsync(name, ToolEnvelope.ParseArguments(name, json), _calls.Token);
        }
        catch (Exception ex)
        {
            call = ValueTask.FromException<JsonNode?>(ex);
        }

        if (call.IsCompleted)
        {
            Post(new Completion(resolve, new JsString(ToolEnvelope.From(call))));
        }
        else
        {
            _ = CompleteLaterAsync(call, resolve);
        }

        return promise;
    });

    private async Task CompleteLaterAsync(ValueTask<JsonNode?> call, Action<JsValue> resolve)
    {
        // A ValueTask may be consumed once; a Task may be observed again by Envelope.From.
        var task = call.AsTask();
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed through Envelope.From below; the script gets the error, never the exception.
        }

        Post(new Completion(resolve, new JsString(ToolEnvelope.From(new ValueTask<JsonNode?>(task)))));
    }

    private JsValue HostLog(JsValue thisObj, JsValue[] args)
    {
        var level = args.Length > 0 && args[0].IsNumber() ? (int)args[0].AsNumber() : 1;
        var message = args.Length > 1 && args[1].IsString() ? args[1].AsString() : string.Empty;
        _tools.Log(level switch { 0 => LogLevel.Debug, 2 => LogLevel.Warning, 3 => LogLevel.Error, _ => LogLevel.Information }, message);
        return JsValue.Undefined;
    }

    private JsValue HostProgress(JsValue thisObj, JsValue[] args)
    {
        _tools.Progress(args.Length > 0 && args[0].IsString() ? args[0].AsString() : string.Empty);
        return JsValue.Undefined;
    }

    private JsValue HostDone(JsValue thisObj, JsValue[] args)
    {
        if (_result is not null)
        {
            return JsValue.Undefined;
        }

        string? Arg(int i) => args.Length > i && args[i].IsString() ? args[i].AsString() : null;
        var ok = args.Length > 0 && args[0].IsBoolean() && args[0].AsBoolean();
        _result = ok ? new RunResult(true, Arg(1), null, null, null) : new RunResult(false, null, Arg(1), Arg(2), Arg(3));
        return JsValue.Undefined;
    }
}
