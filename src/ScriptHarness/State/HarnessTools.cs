using ScriptHarness.Tools;

namespace ScriptHarness.State;

/// <summary>
/// The tools the harness offers every script besides the host's: state (<c>store</c>/<c>load</c>) and discovery
/// (<c>tools.$search</c>/<c>tools.$describe</c>). The script wrapper builds those helpers on calls to these names, so
/// they cross the same <see cref="Runtime.IToolBridge"/> as any tool, on every engine and across processes.
/// </summary>
internal sealed class HarnessTools
{
    private readonly Dictionary<string, ToolDefinition> _tools;

    public HarnessTools(ToolRegistry registry, IScriptStateStore? store, ScriptStateOptions options) =>
        _tools = new StateTools(store, options).Definitions()
            .Concat(new DiscoveryTools(registry).Definitions())
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? tool) =>
        _tools.TryGetValue(name, out tool);
}
