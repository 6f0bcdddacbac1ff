using ScriptHarness.Runtime;
using System.Text.Json.Nodes;
using Microsoft.ClearScript.V8.FastProxy;
using Microsoft.Extensions.Logging;

namespace ScriptHarness.Engines.V8;

/// <content>
/// The host functions handed to the adapter and prelude: the only code the script can make the host run. They are
/// ClearScript fast host functions (no reflection binding), captured in closures and never reachable as globals;
/// they take and give strings and numbers only, and never throw. They are made with the engine, while it is prepared
/// (handing a host object to V8 is part of what a script would otherwise wait for), and act for the engine's one run
/// once it has started (<see cref="WarmEngine.Run"/>); before that they do nothing. Once the run's outcome is decided they are dead:
/// a call from code of the finished script (a callback V8 runs late) does nothing, and a tool call is refused. So they
/// are once the run is cancelled: the script is being interrupted, and nothing more of it reaches the tools or the log.
/// </content>
internal sealed partial class V8Run
{
    /// <summary><c>hostLog(-1)</c>: the adapter saw the script make a <c>FinalizationRegistry</c>.</summary>
    private const int LingersLevel = -1;

    private static readonly string EndedEnvelope = ToolEnvelope.From(
        ToolResult.Failure(ScriptErrorCode.ToolExecutionFailed, "the script that made this call has ended"));

    /// <summary>
    /// <c>rawCall(id, name, argsJson)</c>: starts the call. A call that completed at once returns its envelope text,
    /// which the adapter resolves in place (no second crossing from the host into V8); otherwise it returns undefined
    /// and the envelope is posted back to the pump as call <c>id</c>.
    /// </summary>
    public static V8FastHostFunction CreateHostCall(WarmEngine warm) => new("call", (bool _, in V8FastArgs args, in V8FastResult result) =>
    {
        if (warm.Run is { } run)
        {
            run.OnCall(args, result);
        }
        else
        {
            result.Set(EndedEnvelope);
        }
    });

    /// <summary><c>hostLog(level, text)</c>: the <see cref="LogLevel"/> of the console method, as a number.</summary>
    public static V8FastHostFunction CreateHostLog(WarmEngine warm) =>
        new("log", (bool _, in V8FastArgs args, in V8FastResult _) => warm.Run?.OnLog(args));

    public static V8FastHostFunction CreateHostProgress(WarmEngine warm) =>
        new("progress", (bool _, in V8FastArgs args, in V8FastResult _) => warm.Run?.OnProgress(args));

    /// <summary><c>hostDone(true, json?)</c> or <c>hostDone(false, code, message, stack)</c>; only the first call counts.</summary>
    public static V8FastHostFunction CreateHostDone(WarmEngine warm) =>
        new("done", (bool _, in V8FastArgs args, in V8FastResult _) => warm.Run?.OnDone(args));

    private void OnCall(in V8FastArgs args, in V8FastResult result)
    {
        if (Dead)
        {
            // Code of a finished script (a callback V8 ran late): refused here, never passed to the tools.
            result.Set(EndedEnvelope);
            return;
        }

        var id = Int(args, 0) ?? 0;
        var name = Text(args, 1) ?? string.Empty;
        JsonNode? arguments;
        try
        {
            arguments = ToolEnvelope.ParseArguments(name, Text(args, 2));
        }
        catch (ScriptHarnessException ex)
        {
            result.Set(ToolEnvelope.From(ToolResult.Failure(ex.Error)));
            return;
        }

        if (StartCall(name, arguments, id, static (callId, done) => new Completion(callId, ToolEnvelope.From(done))) is { } completed)
        {
            result.Set(ToolEnvelope.From(completed));
        }
    }

    private void OnLog(in V8FastArgs args)
    {
        if (Dead)
        {
            return;
        }

        var level = Int(args, 0) ?? (int)LogLevel.Information;
        if (level == LingersLevel)
        {
            _lingers = true;
            return;
        }

        var message = Text(args, 1) ?? string.Empty;
        // The prelude passes the LogLevel of the console method (ScriptSurface.ConsoleMethods).
        Tools.Log(level is >= (int)LogLevel.Trace and <= (int)LogLevel.Critical ? (LogLevel)level : LogLevel.Information, message);
    }

    private void OnProgress(in V8FastArgs args)
    {
        if (!Dead)
        {
            Tools.Progress(Text(args, 0) ?? string.Empty);
        }
    }

    private void OnDone(in V8FastArgs args)
    {
        if (HasReported || _ended)
        {
            return;
        }

        var ok = args.Count > 0 && args.TryGet(0, out bool b) && b;
        var a1 = Text(args, 1);
        var a2 = Text(args, 2);
        var a3 = Text(args, 3);
        Report(ok ? ScriptReport.Returned(a1) : ScriptReport.Threw(a1, a2, a3));
    }

    private bool Dead => _ended || HostToken.IsCancellationRequested;

    // ClearScript throws for an index past the arguments given; a missing argument is simply absent here.
    private static string? Text(in V8FastArgs args, int index) =>
        index < args.Count && args.TryGet(index, out string value) ? value : null;

    private static int? Int(in V8FastArgs args, int index) =>
        index < args.Count && args.TryGet(index, out double value) && double.IsFinite(value) ? (int)value : null;
}
