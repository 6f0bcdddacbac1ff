using System.Collections;
using System.Reflection;

namespace ScriptHarness.Hosting;

/// <summary>
/// The configuration keys an options type reads, found once from its public settable properties: leaves (values) and
/// sections (nested options objects such as <c>Limits</c>). Keys compare case-insensitively, as configuration does.
/// </summary>
internal sealed class SettingShape
{
    private readonly Dictionary<string, Type> _leaves = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sections = new(StringComparer.OrdinalIgnoreCase);

    private SettingShape(Type type) => Add(type, string.Empty);

    public static SettingShape Of(Type type) => new(type);

    /// <summary>Every key, spelled as the options type spells it.</summary>
    public IEnumerable<string> Keys => _leaves.Keys.Concat(_sections);

    public bool TryGetLeaf(string key, out Type type) => _leaves.TryGetValue(key, out type!);

    public bool IsSection(string key) => _sections.Contains(key);

    /// <summary>
    /// The key <paramref name="unknown"/> was most likely meant to be: a near spelling of a whole key
    /// (<c>Limit:Timout</c> → <c>Limits:Timeout</c>), or a setting put at the wrong level (<c>Timeout</c> → <c>Limits:Timeout</c>).
    /// </summary>
    public string? Suggest(string unknown)
    {
        if (NameSuggestions.Nearest(unknown, Keys) is { } near)
        {
            return near;
        }

        // Only an exact name or one slip: a short name one edit away from another would suggest nonsense.
        var name = unknown[(unknown.LastIndexOf(':') + 1)..];
        return _leaves.Keys
            .Select(key => (Key: key, Distance: NameSuggestions.Distance(name, key[(key.LastIndexOf(':') + 1)..])))
            .Where(x => x.Distance == 0 || (x.Distance == 1 && name.Length >= 5))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => x.Key)
            .FirstOrDefault();
    }

    private void Add(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = prefix + property.Name;
            var propertyType = property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                _sections.Add(key);
                Add(propertyType, key + ":");
            }
            else
            {
                _leaves.Add(key, propertyType);
            }
        }
    }
}
