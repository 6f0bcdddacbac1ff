namespace ScriptHarness.Tools;

/// <summary>A named group of tools a host can switch on, such as the built-in <c>files</c> and <c>test</c>.</summary>
/// <param name="Name">The toolset's name, e.g. <c>files</c>.</param>
/// <param name="Tools">Its tools.</param>
public sealed record ToolSet(string Name, IReadOnlyList<ToolDefinition> Tools);
