namespace ScriptHarness.Tools.Validation;

/// <summary>
/// The message of <c>tool_validation_failed</c>: <c>invalid arguments for {tool}: {where}: {what}</c>, for up to three
/// errors, whichever validator found them.
/// </summary>
internal static class ValidationMessage
{
    private const int MaxDetails = 3;

    /// <summary>The error for <paramref name="errors"/> (path, property, kind name as NJsonSchema spells it).</summary>
    public static ToolException Create(string tool, IEnumerable<(string? Path, string? Property, string Kind)> errors)
    {
        var details = errors.Take(MaxDetails).Select(e => $"{Describe(e.Path, e.Property)}: {Humanize(e.Kind)}");
        return ToolException.Validation($"invalid arguments for {tool}: {string.Join("; ", details)}");
    }

    /// <summary>The error for a compiled schema's errors.</summary>
    public static ToolException Create(string tool, IEnumerable<SchemaError> errors) =>
        Create(tool, errors.Select(e => ((string?)e.Path, e.Property, e.Kind.ToString())));

    // NJsonSchema writes "#/a.b" (and "#/" for the arguments themselves); compiled errors write "a.b" (and "").
    private static string Describe(string? path, string? property)
    {
        var p = string.IsNullOrEmpty(path) || path == "#" ? property : path.TrimStart('#', '/').Replace('/', '.');
        return string.IsNullOrEmpty(p) ? "arguments" : p;
    }

    // "PropertyRequired" → "property required"
    private static string Humanize(string kind)
    {
        var chars = new List<char>(kind.Length + 8);
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && chars.Count > 0)
            {
                chars.Add(' ');
            }

            chars.Add(char.ToLowerInvariant(c));
        }

        return new string([.. chars]);
    }
}
