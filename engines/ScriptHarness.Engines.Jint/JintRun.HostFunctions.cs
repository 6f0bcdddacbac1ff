using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Promise;
using Jint.Runtime;
using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <content>
/// What the script surface calls: the only code the script can make the host run. Once the run is cancelled (the host
/// gave up on it, or the watchdog wrote it off and reported its outcome) these are dead: a call ends the script where it
/// stands, before anything reaches the tools or the log, so a thread the host no longer waits for does no more work.
/// </content>
internal sealed partial class JintRun
{
    public IReadOnlyCollection<string> ToolNames => Tools.ToolNames;

    public JsonObject ContextJson => Script.Context.ToScriptJson();

    private JintSurface Surface => _surface ?? throw new InvalidOperationException("the surface is not installed");

    public JsValue CallTool(string name, JsValue arguments)
    {
        HostToken.ThrowIfCancellationRequested();
        var surface = Surface;
        var manual = surface.Engine.Advanced.RegisterPromise();
        JsonNode? json;
        string? notJson;
        try
        {
            json = surface.ToJson(arguments, $"the arguments of {name}", out notJson);
        }
        catch (JavaScriptException ex)
        {
            // A getter or toJSON threw while the arguments were read.
            (json, notJson) = (null, JintSurface.MessageOf(ex));
        }

        if (notJson is not null)
        {
            var message = notJson switch
            {
                JsToJson.TooDeep => $"the arguments of {name} are {notJson}",
                JsToJson.LoneSurrogate => ToolEnvelope.LoneSurrogateArguments(name),
                _ => $"arguments of {name} are not plain JSON: {notJson}",
            };
            manual.Reject(surface.HarnessError(ScriptSurface.ArgumentsNotJsonCode, message));
            return manual.Promise;
        }

        if (StartCall(name, json, manual, static (promise, result) => new Completion(promise, result)) is { } done)
        {
            // Settled by the pump like any other, so the script's continuations run in the same order either way.
            Completions.CallStarted();
            Completions.Post(new Completion(manual, done));
        }

        return manual.Promise;
    }

    public void Log(LogLevel level, string message)
    {
        HostToken.ThrowIfCancellationRequested();
        Tools.Log(level, message);
    }

    public void Progress(string message)
    {
        HostToken.ThrowIfCancellationRequested();
        Tools.Progress(message);
    }

    /// <summary>Settles a tool call's promise on the sandbox thread with a frozen value or a harness error.</summary>
    protected override void Settle(Completion completion)
    {
        var surface = Surface;
        var error = completion.Result.Error;
        if (error is null)
        {
            JsValue value;
            try
            {
                value = FromHost(surface, completion.Result.Value);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                // A handler returned a node that cannot be JSON (a CLR value without a converter, nesting past 64 levels).
                error = ToolEnvelope.Unrepresentable;
                value = JsValue.Undefined;
            }

            if (error is null)
            {
                completion.Promise.Resolve(value);
                return;
            }
        }

        completion.Promise.Reject(surface.HarnessError(error.WireCode, error.Message));
    }

    // A string parsed from JSON text with a lone surrogate escape cannot be read: it arrives as U+FFFD, as on V8.
    private static JsValue FromHost(JintSurface surface, JsonNode? value)
    {
        try
        {
            return surface.FromHost(value);
        }
        catch (Exception ex) when (LoneSurrogates.IsFailure(ex))
        {
            return surface.FromHost(LoneSurrogates.Repair(value));
        }
    }

    private JsValue Finish(JsValue thisObj, JsValue[] args)
    {
        if (HasReported)
        {
            return JsValue.Undefined;
        }

        var value = args.Length > 0 ? args[0] : JsValue.Undefined;
        if (value.IsUndefined())
        {
            Report(ScriptReport.Returned(null));
            return JsValue.Undefined;
        }

        try
        {
            Report(ScriptReport.Returned(Surface.Serialize(value)));
        }
        catch (JavaScriptException ex)
        {
            Report(ScriptReport.Threw(ScriptSurface.ReturnNotJsonCode,
                "the return value cannot be serialized to JSON: " + JintSurface.MessageOf(ex), string.Empty));
        }

        return JsValue.Undefined;
    }

    private JsValue Fail(JsValue thisObj, JsValue[] args)
    {
        if (!HasReported)
        {
            var (code, message, stack) = Surface.Describe(args.Length > 0 ? args[0] : JsValue.Undefined);
            Report(ScriptReport.Threw(code, message, stack));
        }

        return JsValue.Undefined;
    }
}
