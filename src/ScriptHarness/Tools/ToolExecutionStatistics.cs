namespace ScriptHarness.Tools;

/// <summary>
/// A snapshot of a harness's tool handlers (<see cref="Pipeline.HarnessPipeline.ToolStatistics"/>): what is running now
/// and how many handlers outlived their calls since the harness was created. Cheap to take; meant to be polled, e.g. by
/// observable gauges and counters.
/// </summary>
/// <param name="Running">
/// Calls holding one of the harness's <see cref="Pipeline.ScriptHarnessOptions.MaxConcurrentToolExecutions"/> slots now.
/// </param>
/// <param name="Abandoned">
/// Handlers still running whose calls already failed, at their time limit or when their script ended or was cancelled,
/// because they did not stop when their <see cref="CancellationToken"/> fired. While
/// <see cref="Pipeline.ScriptHarnessOptions.MaxAbandonedToolExecutions"/> are, new calls fail with <c>concurrency_limit</c>.
/// </param>
/// <param name="TotalAbandoned">Handlers abandoned since the harness was created, ended or not.</param>
/// <param name="Refused">Calls refused with <c>concurrency_limit</c> because too many handlers were abandoned.</param>
/// <param name="Threads">
/// Threads the harness keeps for handlers of tools not declared <see cref="ToolDefinition.NonBlocking"/>, busy or idle
/// (idle ones end after 30 s).
/// </param>
public sealed record ToolExecutionStatistics(int Running, int Abandoned, long TotalAbandoned, long Refused, int Threads);
