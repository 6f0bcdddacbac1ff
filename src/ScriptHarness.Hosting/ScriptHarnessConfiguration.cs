using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Hosting;

/// <summary>
/// Reads a <c>ScriptHarness</c> configuration section key by key before anything binds it, so every problem is found
/// at once: values that do not convert, keys that are near misses of real ones (errors), and keys no setting reads
/// (reported to the host as a warning: the section may be shared with the application's own settings).
/// </summary>
internal static class ScriptHarnessConfiguration
{
    private const int MaxShownValueLength = 80;

    /// <summary>The section, under a harness's configuration, that holds the engines' own settings (<c>Engines:Jint</c>, …).</summary>
    internal const string EngineSection = "Engines";

    private static readonly SettingShape Shape = SettingShape.Of(typeof(ScriptHarnessOptions));

    // Keys in the harness's section that another package reads (ScriptHarness.State's AddScriptHarnessState): neither
    // bound here nor reported as unused.
    private static readonly string[] ReadElsewhere = ["State:Redis"];

    /// <summary>What <see cref="Read"/> found.</summary>
    /// <param name="Usable">The settings that convert, as relative key and value: what binding may use.</param>
    /// <param name="Problems">One message per bad value, section given a value, or near-miss key.</param>
    /// <param name="Unused">Keys (full paths) that no setting reads and that are not near one.</param>
    internal sealed record Reading(IReadOnlyList<KeyValuePair<string, string?>> Usable, IReadOnlyList<string> Problems, IReadOnlyList<string> Unused);

    public static Reading Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var prefix = configuration is IConfigurationSection { Path.Length: > 0 } section ? section.Path + ":" : string.Empty;
        var usable = new List<KeyValuePair<string, string?>>();
        var problems = new List<string>();
        var unused = new List<string>();
        var unknown = new List<(string Path, string Key)>();
        Walk(configuration.GetChildren(), string.Empty);

        foreach (var (path, key) in unknown)
        {
            if (Shape.Suggest(key) is { } meant)
            {
                problems.Add($"{path} is not a ScriptHarness setting; did you mean {prefix}{meant}?");
            }
            else
            {
                unused.Add(path);
            }
        }

        return new Reading(usable, problems, unused);

        void Walk(IEnumerable<IConfigurationSection> children, string parent)
        {
            foreach (var child in children)
            {
                var key = parent.Length == 0 ? child.Key : parent + ":" + child.Key;
                if (parent.Length == 0 && string.Equals(child.Key, EngineSection, StringComparison.OrdinalIgnoreCase))
                {
                    // The engines' own settings: bound and checked by each engine's options (IEngineOptions).
                    continue;
                }

                if (Shape.TryGetLeaf(key, out var type))
                {
                    Leaves(child.GetChildren(), key);
                    if (child.Value is { } value)
                    {
                        if (Converts(type, value))
                        {
                            usable.Add(new(key, value));
                        }
                        else
                        {
                            problems.Add($"{child.Path}: '{Shown(value)}' is not {Describe(type)}");
                        }
                    }
                }
                else if (Shape.IsSection(key))
                {
                    if (!string.IsNullOrEmpty(child.Value))
                    {
                        problems.Add($"{child.Path} is a section of settings ({child.Path}:…), not a value");
                    }

                    Walk(child.GetChildren(), key);
                }
                else if (!ReadElsewhere.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    Leaves([child], parent);
                }
            }
        }

        // Every key at or under an unknown one is reported by its own full path, as the person wrote it.
        void Leaves(IEnumerable<IConfigurationSection> sections, string parent)
        {
            foreach (var section in sections)
            {
                var key = parent.Length == 0 ? section.Key : parent + ":" + section.Key;
                var children = section.GetChildren().ToList();
                if (children.Count == 0 || section.Value is not null)
                {
                    unknown.Add((section.Path, key));
                }

                Leaves(children, key);
            }
        }
    }

    /// <summary>Binds the settings of <paramref name="configuration"/> that convert onto <paramref name="options"/>; the rest are <see cref="Read"/>'s problems.</summary>
    public static void Bind(IConfiguration configuration, ScriptHarnessOptions options) =>
        new ConfigurationBuilder().AddInMemoryCollection(Read(configuration).Usable).Build().Bind(options);

    // The same conversion the configuration binder applies, so a value accepted here binds.
    private static bool Converts(Type type, string value)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            if (value.Length == 0)
            {
                return true;
            }

            type = underlying;
        }

        if (type == typeof(string))
        {
            return true;
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException or InvalidCastException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss, e.g. 00:00:30)",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(uint) || type == typeof(ulong) => "a whole number, 0 or more",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ => "a " + type.Name,
        };
    }

    private static string Shown(string value) =>
        value.Length <= MaxShownValueLength ? value : string.Concat(value.AsSpan(0, MaxShownValueLength), "…");
}
