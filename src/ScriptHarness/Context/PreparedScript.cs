using ScriptHarness.Parsing;

namespace ScriptHarness.Context;

/// <summary>A validated script together with its frozen context: what an engine runs.</summary>
/// <param name="Script">The validated script.</param>
/// <param name="Context">Its context and limits.</param>
public sealed record PreparedScript(ParsedScript Script, ScriptContext Context);
