using ScriptHarness.Runtime;
using ScriptHarness.Serialization;
using ScriptHarness.Tools;

namespace ScriptHarness.Pipeline;

/// <summary>
/// The one place a run's <see cref="ScriptOutcome"/> is made: the engine's result, what the tool facade knows (calls,
/// detached ones reported, logs, counts), and the block's index and hash, which only the pipeline holds.
/// </summary>
internal static class OutcomeComposer
{
    /// <summary>Seals <paramref name="bridge"/> (calls still running are detached) and composes the outcome.</summary>
    public static ScriptOutcome Compose(int index, string sha256, EngineResult result, ScriptToolBridge bridge)
    {
        var detached = bridge.Seal();
        if (result.IsSuccess && !WireLimits.FitsValue(result.Value))
        {
            // An engine may hand back JSON deeper than the wire forms carry; the serializers would refuse the outcome.
            result = EngineResult.Failure(ReturnValues.TooDeep()) with { Duration = result.Duration, RetireRuntime = result.RetireRuntime };
        }

        IReadOnlyList<ScriptError> warnings = detached.Count > 0
            ? [new ScriptError(ScriptErrorCode.DetachedPromise,
                $"{detached.Count} tool call(s) were still running when the script ended and were cancelled: {string.Join(", ", detached)}")]
            : [];

        return WellFormedText.RepairTexts(new ScriptOutcome
        {
            Index = index,
            Status = result.IsSuccess ? ScriptStatus.Ok : ScriptStatus.Error,
            Value = result.Value,
            Error = result.Error,
            Duration = result.Duration,
            Sha256 = sha256,
            ToolCalls = bridge.AcceptedCalls,
            Calls = bridge.Calls,
            Logs = bridge.Console.Logs,
            DroppedLogs = bridge.Console.DroppedLogs,
            DroppedProgress = bridge.Console.DroppedProgress,
            Warnings = warnings,
        });
    }
}
