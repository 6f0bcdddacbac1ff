using Acornima.Ast;
using Jint;
using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>The shared sandbox prelude (<see cref="SandboxPrelude"/>), parsed once for every Jint engine.</summary>
internal static class JintPrelude
{
    /// <summary>Parsed once per process and shared by every engine (Jint prepared scripts are immutable).</summary>
    public static readonly Prepared<Script> Prepared = Engine.PrepareScript(SandboxPrelude.Source, SandboxPrelude.SourceName);

    // Prepared scripts are immutable and shareable across engines. Keyed by the source itself, not by the hash a
    // caller put in ParsedScript: a wrong hash must never run another script.
    private static readonly BoundedCache<string, Prepared<Script>> Scripts = new(256, StringComparer.Ordinal);

    /// <summary>The wrapped script, parsed once per distinct source (a parse error surfaces on first use, uncached).</summary>
    public static Prepared<Script> Script(ParsedScript script) =>
        Scripts.GetOrAdd(script.Source, source => Engine.PrepareScript(ScriptWrapper.Wrap(source), ScriptStackCleaner.ScriptSourceName));
}
