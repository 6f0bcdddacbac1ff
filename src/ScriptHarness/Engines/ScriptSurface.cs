using ScriptHarness.Runtime;

namespace ScriptHarness.Engines;

/// <summary>
/// The script surface's contract as data, shared by every engine: the JavaScript prelude (<see cref="SandboxPrelude"/>,
/// which V8 runs) is generated from it, and an engine that builds the surface from the host side (Jint) reads it, so
/// the two cannot drift apart on these points.
/// </summary>
public static class ScriptSurface
{
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
