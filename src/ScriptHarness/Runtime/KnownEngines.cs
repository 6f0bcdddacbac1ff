namespace ScriptHarness.Runtime;

/// <summary>
/// The engines ScriptHarness ships, named once: configuration (<c>Engine</c>), the CLI and messages take their names
/// from here. An engine from elsewhere is still used when registered; this list only says what exists and how to get it.
/// </summary>
public static class KnownEngines
{
    /// <summary>The default engine: Jint, fully managed.</summary>
    public const string Jint = "jint";

    /// <summary>V8 through ClearScript: native, linux-x64 only.</summary>
    public const string V8 = "v8";

    /// <summary>Every shipped engine, the default first.</summary>
    public static IReadOnlyList<KnownEngine> All { get; } =
    [
        new(Jint, "ScriptHarness.Engines.Jint", "AddJintEngine()", "every platform .NET 10 runs on (fully managed)"),
        new(V8, "ScriptHarness.Engines.V8", "AddV8Engine()", "linux-x64 only (ClearScript's native V8 library)"),
    ];

    /// <summary>The shipped engine named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static KnownEngine? Find(string? name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A shipped engine: its name, the package that brings it, how a host registers it and where it runs.</summary>
/// <param name="Name">The engine's name in configuration and on the command line, e.g. <c>jint</c>.</param>
/// <param name="Package">The NuGet package that holds it.</param>
/// <param name="Registration">The service-collection call that registers it, e.g. <c>AddJintEngine()</c>.</param>
/// <param name="Platforms">The platforms it runs on, in words.</param>
public sealed record KnownEngine(string Name, string Package, string Registration, string Platforms);
