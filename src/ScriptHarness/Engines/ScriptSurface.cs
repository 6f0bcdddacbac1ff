using Microsoft.Extensions.Logging;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// The script surface's contract as data, shared by every engine: the JavaScript prelude (<see cref="SandboxPrelude"/>,
/// which V8 runs) is generated from it, and an engine that builds the surface from the host side (Jint) reads it, so
/// the two cannot drift apart on these points: the names, what is frozen and how deeply, and the error codes.
/// </summary>
public static class ScriptSurface
{
    /// <summary>The global through which the script calls tools: <c>tools.&lt;namespace&gt;.&lt;name&gt;(args)</c>.</summary>
    public const string ToolsGlobal = "tools";

    /// <summary>The global holding the run's context (ids, mode, limits) and <see cref="ProgressFunction"/>.</summary>
    public const string ContextGlobal = "context";

    /// <summary>The global whose methods (<see cref="ConsoleMethods"/>) log lines for the host.</summary>
    public const string ConsoleGlobal = "console";

    /// <summary>The member of <see cref="ContextGlobal"/> that reports progress: <c>context.progress(message)</c>.</summary>
    public const string ProgressFunction = "progress";

    /// <summary>The property holding the wire code on an error the surface throws (a failed tool call, say).</summary>
    public const string ErrorCodeProperty = "code";

    /// <summary>
    /// The globals the surface defines and how each is frozen: <c>tools</c> and its namespaces (whose tool functions are
    /// frozen too), the context with everything in it, and <c>console</c> itself.
    /// </summary>
    public static IReadOnlyList<SurfaceGlobal> Globals { get; } =
    [
        new(ToolsGlobal, SurfaceFreezing.DeepFrozen),
        new(ContextGlobal, SurfaceFreezing.DeepFrozen),
        new(ConsoleGlobal, SurfaceFreezing.Frozen),
    ];

    /// <summary>The methods of <c>console</c>, in order, each with the level its lines are logged at.</summary>
    public static IReadOnlyList<ConsoleMethod> ConsoleMethods { get; } =
    [
        new("debug", LogLevel.Debug),
        new("log", LogLevel.Information),
        new("info", LogLevel.Information),
        new("warn", LogLevel.Warning),
        new("error", LogLevel.Error),
    ];

    /// <summary>How a tool's result is frozen when the script receives it.</summary>
    public static SurfaceFreezing ToolResultFreezing => SurfaceFreezing.DeepFrozen;

    /// <summary>Globals removed before the script runs: shared memory, and realms or code the limits cannot reach.</summary>
    public static IReadOnlyList<string> RemovedGlobals { get; } = ["SharedArrayBuffer", "Atomics", "ShadowRealm", "WebAssembly"];

    /// <summary>
    /// Keys that runtimes and libraries probe on any object (await's thenable check, serializers, inspectors, React,
    /// Jest): on a <c>tools</c> namespace they read as undefined, never as an unknown tool.
    /// </summary>
    public static IReadOnlyList<string> ProbeKeys { get; } =
    [
        "then", "catch", "finally", "toJSON", "constructor", "prototype", "__proto__", "valueOf", "toString",
        "toLocaleString", "inspect", "asymmetricMatch", "nodeType", "$$typeof", "length", "name", "call", "apply", "bind",
    ];

    /// <summary>The code of an error the script threw that is not one of the surface's own.</summary>
    public static string RuntimeErrorCode { get; } = ScriptErrorCode.RuntimeError.ToCode();

    /// <summary>The code of a tool call whose arguments are not plain JSON.</summary>
    public static string ArgumentsNotJsonCode { get; } = ScriptErrorCode.ToolValidationFailed.ToCode();

    /// <summary>The code of a return value that cannot be serialized to JSON.</summary>
    public static string ReturnNotJsonCode { get; } = ScriptErrorCode.SerializationFailed.ToCode();
}
