using ScriptHarness.Runtime;

namespace ScriptHarness.Serialization;

/// <summary>
/// One item the conversation gets back for a reply segment, in reply order: the prose as is, or a
/// script's result.
/// </summary>
/// <param name="Index">The reply segment index.</param>
public abstract record ResponseItem(int Index);

/// <summary>Prose from the reply, returned as is.</summary>
/// <param name="Index">The reply segment index.</param>
/// <param name="Text">The prose.</param>
public sealed record TextItem(int Index, string Text) : ResponseItem(Index);

/// <summary>The result of one script block (ran, failed, rejected or skipped).</summary>
/// <param name="Index">The reply segment index.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record ScriptResultItem(int Index, ScriptOutcome Outcome) : ResponseItem(Index);
