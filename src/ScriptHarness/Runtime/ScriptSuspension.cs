using System.Text.Json.Nodes;

namespace ScriptHarness.Runtime;

/// <summary>
/// A block that stopped at a tool call needing approval (<see cref="ScriptStatus.Suspended"/>): what to show the person
/// who decides, and the token that continues the block once they have (<c>IScriptHarness.ResumeAsync</c>), on this host
/// instance or any other sharing the state store.
/// </summary>
/// <param name="Token">Opaque; valid once, until the state store forgets it.</param>
/// <param name="CallId">The waiting call's id.</param>
/// <param name="Tool">The tool it calls.</param>
/// <param name="Arguments">Its arguments, sanitized for a person (secrets redacted, long values cut).</param>
public sealed record ScriptSuspension(string Token, string CallId, string Tool, JsonNode? Arguments);
