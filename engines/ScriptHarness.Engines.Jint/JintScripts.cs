using Acornima.Ast;
using Jint;
using ScriptHarness.Parsing;

namespace ScriptHarness.Engines.Jint;

/// <summary>Wrapped scripts parsed once per distinct source and shared by every engine (Jint prepared scripts are immutable).</summary>
internal static class JintScripts
{
    // Regular expression literals are interpreted, as the RegExp constructor's are. A prepared script's literals are
    // otherwise compiled to IL (Reflection.Emit, in the host, from the script's patterns): ~3 ms per new pattern against
    // ~0.7 ms, which buys back a third of the matching time only in scripts that match a lot (200 global matches over
    // 1.3 KB: 11 ms compiled, 15-21 ms interpreted). A model's scripts are mostly new and match a little.
    private static readonly ScriptPreparationOptions Preparation = new()
    {
        ParsingOptions = ScriptParsingOptions.Default with { CompileRegex = false },
    };

    private static readonly CompiledScripts<Prepared<Script>> Scripts = new(256, Prepare);

    /// <summary>The wrapped script, parsed once per distinct source (a parse error surfaces on first use, uncached).</summary>
    public static Prepared<Script> Get(ParsedScript script) =>
        Scripts.Get(script);

    /// <summary>Parses a wrapped script as every script is parsed for Jint.</summary>
    internal static Prepared<Script> Prepare(string wrapped) =>
        Engine.PrepareScript(wrapped, ScriptSource.SourceName, strict: false, Preparation);
}
