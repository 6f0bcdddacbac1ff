using Acornima.Ast;
using Jint;
using ScriptHarness.Parsing;

namespace ScriptHarness.Engines.Jint;

/// <summary>Wrapped scripts parsed once per distinct source and shared by every engine (Jint prepared scripts are immutable).</summary>
internal static class JintScripts
{
    private static readonly CompiledScripts<Prepared<Script>> Scripts = new(256, wrapped => Engine.PrepareScript(wrapped, ScriptSource.SourceName));

    /// <summary>The wrapped script, parsed once per distinct source (a parse error surfaces on first use, uncached).</summary>
    public static Prepared<Script> Get(ParsedScript script) =>
        Scripts.Get(script);
}
