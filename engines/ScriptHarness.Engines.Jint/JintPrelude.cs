using Acornima.Ast;
using Jint;
using ScriptHarness.Runtime;

namespace ScriptHarness.Engines.Jint;

/// <summary>The shared sandbox prelude (<see cref="SandboxPrelude"/>), parsed once for every Jint engine.</summary>
internal static class JintPrelude
{
    /// <summary>Parsed once per process and shared by every engine (Jint prepared scripts are immutable).</summary>
    public static readonly Prepared<Script> Prepared = Engine.PrepareScript(SandboxPrelude.Source, SandboxPrelude.SourceName);
}
