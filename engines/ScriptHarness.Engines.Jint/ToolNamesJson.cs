using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace ScriptHarness.Engines.Jint;

/// <summary>The tool-name list as JSON text for the prelude, built once per list (a harness shares one list across scripts).</summary>
internal static class ToolNamesJson
{
    private static readonly ConditionalWeakTable<IReadOnlyCollection<string>, string> Cache = [];

    public static string Of(IReadOnlyCollection<string> names) =>
        Cache.GetValue(names, static n => new JsonArray([.. n.Select(x => JsonValue.Create(x))]).ToJsonString());
}
