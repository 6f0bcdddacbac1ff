using ScriptHarness.Context;

namespace ScriptHarness.Tools;

/// <summary>What a tool handler knows about the call.</summary>
/// <param name="CallId">Unique id of this call within the run, e.g. <c>turn-1/s0#3</c>.</param>
/// <param name="Tool">The tool's full name, <c>namespace.name</c>.</param>
/// <param name="Script">The calling script's context.</param>
public sealed record ToolCallContext(string CallId, string Tool, ScriptContext Script);
