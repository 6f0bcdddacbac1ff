namespace ScriptHarness.Tools.BuiltIn;

/// <summary>The built-in toolsets by name, for hosts and configuration (<c>"Tools": ["files", "test"]</c>).</summary>
public static class BuiltInToolSets
{
    private static readonly Dictionary<string, Func<BuiltInToolSetOptions, ToolSet>> Factories = new(StringComparer.Ordinal)
        {
            [FilesToolSet.Name] = CreateFiles,
            [TestToolSet.Name] = options => TestToolSet.Create(options.TimeProvider),
        };

    /// <summary>The names of the built-in toolsets, sorted: <c>files</c>, <c>test</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Creates the built-in toolset called <paramref name="name"/> (exact, case-sensitive).</summary>
    /// <exception cref="ArgumentException">
    /// The name is unknown (the message lists the known names), or the toolset needs an option that is missing.
    /// </exception>
    public static ToolSet Resolve(string name, BuiltInToolSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (!Factories.TryGetValue(name, out var create))
        {
            throw new ArgumentException($"Unknown built-in toolset '{name}'. Known toolsets: {string.Join(", ", Names)}.", nameof(name));
        }

        return create(options);
    }

    private static ToolSet CreateFiles(BuiltInToolSetOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.WorkspaceRoot))
        {
            throw new ArgumentException($"The '{FilesToolSet.Name}' toolset needs {nameof(BuiltInToolSetOptions)}.{nameof(BuiltInToolSetOptions.WorkspaceRoot)}.", nameof(options));
        }

        return FilesToolSet.Create(options.WorkspaceRoot);
    }
}
