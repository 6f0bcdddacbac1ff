using Acornima.Ast;
using Jint;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>Wrapped scripts parsed once per distinct source and shared by every engine (Jint prepared scripts are immutable).</summary>
internal static class JintScripts
{
    // Keyed by the source itself, not by the hash a caller put in ParsedScript: a wrong hash must never run another script.
    private static readonly BoundedCache<string, Prepared<Script>> Scripts = new(256, StringComparer.Ordinal);

    /// <summary>The wrapped script, parsed once per distinct source (a parse error surfaces on first use, uncached).</summary>
    public static Prepared<Script> Get(ParsedScript script) =>
        Scripts.GetOrAdd(script.Source, source => Engine.PrepareScript(ScriptWrapper.Wrap(source), ScriptStackCleaner.ScriptSourceName));
}
