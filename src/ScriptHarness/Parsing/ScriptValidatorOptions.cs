using System.Collections.ObjectModel;

namespace ScriptHarness.Parsing;

/// <summary>What <see cref="ScriptValidator"/> accepts. Validated once, when the validator is created.</summary>
internal sealed record ScriptValidatorOptions
{
    /// <summary>
    /// The globals scripts may not reference by default: code built from strings (<c>eval</c>, <c>Function</c>),
    /// module loading (<c>require</c>, <c>importScripts</c>), host runtimes (<c>process</c>, <c>Deno</c>, <c>Bun</c>),
    /// threads (<c>Worker</c>, <c>SharedWorker</c>), <c>WebAssembly</c>, and <c>EngineInternal</c> (ClearScript's helper
    /// object, which V8 cannot remove from its global). <c>import()</c> and <c>import.meta</c>
    /// are always rejected, whatever this set holds.
    /// </summary>
    public static IReadOnlySet<string> DefaultBannedIdentifiers { get; } = new ReadOnlySet<string>(new HashSet<string>(StringComparer.Ordinal)
    {
        "eval", "Function", "require", "process", "Worker", "SharedWorker", "importScripts", "WebAssembly", "Deno", "Bun",
        "EngineInternal",
    });

    /// <summary>The default options.</summary>
    /// <remarks>Declared after <see cref="DefaultBannedIdentifiers"/>: static initializers run in text order.</remarks>
    public static ScriptValidatorOptions Default { get; } = new();

    // Property names that appear on every object; a bare reference to one is never a way out of the sandbox.
    private static readonly HashSet<string> NeverBanned = new(StringComparer.Ordinal) { "constructor", "prototype", "__proto__" };

    /// <summary>Maximum script size in UTF-8 bytes (BOM excluded). Default 20 KiB (20,480 bytes).</summary>
    public int MaxScriptBytes { get; init; } = 20 * 1024;

    /// <summary>
    /// Global names a script may not reference (case-sensitive). Default <see cref="DefaultBannedIdentifiers"/>.
    /// A name the script declares itself is not a reference to the global and is allowed.
    /// </summary>
    public IReadOnlySet<string> BannedIdentifiers { get; init; } = DefaultBannedIdentifiers;

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxScriptBytes is < 16 or > 16 * 1024 * 1024)
        {
            problems.Add($"Parsing.{nameof(MaxScriptBytes)} must be between 16 bytes and 16 MiB");
        }

        if (BannedIdentifiers is null)
        {
            problems.Add($"Parsing.{nameof(BannedIdentifiers)} must not be null");
            return problems;
        }

        foreach (var name in BannedIdentifiers)
        {
            if (!IsIdentifierName(name))
            {
                problems.Add($"Parsing.{nameof(BannedIdentifiers)} holds '{name}', which is not a JavaScript identifier");
            }
            else if (NeverBanned.Contains(name))
            {
                problems.Add($"Parsing.{nameof(BannedIdentifiers)} holds '{name}', a property name that cannot be banned");
            }
        }

        return problems;
    }

    // Approximates IdentifierName (letters, digits, '$', '_'): enough to catch entries like "eval()" that could never match.
    private static bool IsIdentifierName(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('$' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
