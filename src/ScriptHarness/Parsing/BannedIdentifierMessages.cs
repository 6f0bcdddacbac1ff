using System.Collections.Frozen;

namespace ScriptHarness.Parsing;

/// <summary>The model-facing messages for <c>banned_identifier</c>: what is unavailable and what to do instead.</summary>
internal static class BannedIdentifierMessages
{
    /// <summary>The name reported for a dynamic <c>import(...)</c> expression.</summary>
    public const string ImportCall = "import()";

    /// <summary>The name reported for <c>import.meta</c>.</summary>
    public const string ImportMeta = "import.meta";

    private const string Modules = "scripts cannot load modules; call the host through the functions on `tools`";
    private const string CodeFromStrings = "code cannot be built from strings at run time; write the logic directly in the script";
    private const string HostRuntime = "there is no host runtime; use `tools` and `context` to reach the host";
    private const string Threads = "scripts run on one thread; start several tool calls and `await Promise.all(...)` to run them concurrently";

    private static readonly FrozenDictionary<string, string> Hints = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["eval"] = CodeFromStrings,
        ["Function"] = CodeFromStrings,
        ["require"] = Modules,
        ["importScripts"] = Modules,
        [ImportCall] = Modules,
        [ImportMeta] = "scripts are not modules, so there is no module metadata",
        ["process"] = HostRuntime,
        ["Deno"] = HostRuntime,
        ["Bun"] = HostRuntime,
        ["EngineInternal"] = HostRuntime,
        ["Worker"] = Threads,
        ["SharedWorker"] = Threads,
        ["WebAssembly"] = "WebAssembly is disabled in the sandbox",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The message for a reference to <paramref name="name"/>.</summary>
    public static string For(string name) =>
        $"`{name}` is not available in scripts: {Hints.GetValueOrDefault(name, "it is disabled in the sandbox")}.";
}
