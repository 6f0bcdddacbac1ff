namespace ScriptHarness.Engines.V8;

/// <summary>
/// What the prelude builds per script from the host's data: the tool names (<c>["ns.name", …]</c>) and the context
/// (<c>ScriptContext.ToScriptJson</c>), as the JSON text handed to the engine.
/// </summary>
internal sealed record V8ScriptShape(string ToolNamesJson, string ContextJson);
