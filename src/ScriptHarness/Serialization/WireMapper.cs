using ScriptHarness.Runtime;

namespace ScriptHarness.Serialization;

/// <summary>
/// Maps response items to their wire lines and back. Both wire forms go through it, so they carry exactly the
/// same fields with the same rules.
/// </summary>
internal static class WireMapper
{
    // Beyond this a duration no longer fits TimeSpan ticks.
    private static readonly double MaxMilliseconds = TimeSpan.MaxValue.TotalMilliseconds;

    internal static TextLine ToWire(TextItem item) => new(WireNames.TextType, item.Index, item.Text);

    /// <remarks>The item's <see cref="ResponseItem.Index"/> is written; the outcome's own index is assumed equal.</remarks>
    internal static ScriptResultLine ToWire(ScriptResultItem item)
    {
        ScriptOutcome outcome = item.Outcome;
        WireLimits.EnsureValueDepth(outcome.Value, item.Index);
        PartialResultSelection? partial = WireCalls.SelectPartialResults(outcome);
        return new ScriptResultLine(
            WireNames.ScriptResultType,
            item.Index,
            WireNames.ToWire(outcome.Status),
            outcome.Value,
            outcome.Error is { } error ? new ErrorLine(error.WireCode, error.Message, error.Retryable, error.Line, error.Column, error.Stack) : null,
            outcome.ToolCalls,
            ToMilliseconds(outcome.Duration),
            [.. outcome.Logs.Select(l => new LogLine(WireNames.ToWire(l.Level), l.Message))],
            [.. outcome.Warnings.Select(w => new WarningLine(w.WireCode, w.Message, w.Line, w.Column, w.Stack))],
            WireCalls.ToWire(outcome.Calls),
            partial?.Entries,
            partial is { Truncated: true } ? true : null,
            outcome.DroppedLogs == 0 ? null : outcome.DroppedLogs,
            outcome.DroppedProgress == 0 ? null : outcome.DroppedProgress,
            outcome.Sha256,
            outcome.Suspension is { } s ? new SuspensionLine(s.Token, s.CallId, s.Tool, s.Arguments) : null);
    }

    internal static TextItem FromWire(TextLine line) => new(line.Index, line.Text);

    /// <exception cref="FormatException">A status, code, level or duration is not one the contract knows, or a
    /// partial result matches no succeeded call.</exception>
    internal static ScriptResultItem FromWire(ScriptResultLine line)
    {
        var outcome = new ScriptOutcome
        {
            Index = line.Index,
            Status = WireNames.ParseStatus(line.Status),
            Value = line.Value,
            Error = line.Error is { } e ? new ScriptError(WireNames.ParseCode(e.Code), e.Message) { Line = e.Line, Column = e.Column, Stack = e.Stack } : null,
            ToolCalls = line.ToolCalls,
            Duration = FromMilliseconds(line.DurationMs),
            Logs = [.. line.Logs.Select(l => new LogEntry(WireNames.ParseLevel(NotNull(l, WireNames.Logs).Level), l.Message))],
            DroppedLogs = line.DroppedLogs ?? 0,
            DroppedProgress = line.DroppedProgress ?? 0,
            Calls = WireCalls.FromWire(line.Calls, line.PartialResults),
            Warnings = [.. line.Warnings.Select(ToWarning)],
            Sha256 = line.Sha256,
            Suspension = line.Suspension is { } s ? new ScriptSuspension(s.Token, s.CallId, s.Tool, s.Arguments) : null,
        };
        return new ScriptResultItem(line.Index, outcome);
    }

    internal static ArgumentException UnknownItem(ResponseItem item) =>
        new($"Unknown response item kind '{item.GetType().Name}'.", nameof(item));

    /// <summary>Milliseconds rounded to 3 decimals (microseconds): enough for humans, stable in golden files.</summary>
    internal static double ToMilliseconds(TimeSpan duration) =>
        Math.Round(duration.Ticks / (double)TimeSpan.TicksPerMillisecond, 3, MidpointRounding.AwayFromZero);

    internal static TimeSpan FromMilliseconds(double milliseconds, string key = WireNames.DurationMs) =>
        double.IsFinite(milliseconds) && Math.Abs(milliseconds) < MaxMilliseconds
            ? TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond))
            : throw new FormatException($"{key} {milliseconds} is not a valid duration.");

    private static ScriptError ToWarning(WarningLine? warning)
    {
        WarningLine w = NotNull(warning, WireNames.Warnings);
        return new ScriptError(WireNames.ParseCode(w.Code), w.Message) { Line = w.Line, Column = w.Column, Stack = w.Stack };
    }

    // Nullable annotations do not reach list elements, so a JSON "logs":[null] has to be caught here.
    internal static T NotNull<T>(T? entry, string list) where T : class =>
        entry ?? throw new FormatException($"'{list}' holds a null entry.");
}
