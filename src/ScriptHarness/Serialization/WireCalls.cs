using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.Serialization;

/// <summary>
/// Maps an outcome's tracked tool calls to the <c>calls</c> and <c>partialResults</c> wire lists and back. Both wire
/// forms go through it, so they pick the same partial results.
/// </summary>
internal static class WireCalls
{
    internal static IReadOnlyList<CallLine> ToWire(IReadOnlyList<ToolCallRecord> calls) =>
        [.. calls.Select(c => new CallLine(c.CallId, c.Tool, WireNames.ToWire(c.Status), WireMapper.ToMilliseconds(c.Duration), c.Error?.WireCode))];

    /// <summary>
    /// The partial results a line carries, or null when it carries none (the script did not fail, or no call
    /// succeeded). The entries are the succeeded calls in call order, cut short — and marked truncated — at the
    /// first result that would take the total past <see cref="WireLimits.MaxPartialResultsBytes"/> or nest deeper
    /// than the wire forms carry: a large or deep tool result never makes the line itself unwritable.
    /// </summary>
    internal static PartialResultSelection? SelectPartialResults(ScriptOutcome outcome)
    {
        List<ToolCallRecord> succeeded = [.. outcome.PartialResults];
        if (succeeded.Count == 0)
        {
            return null;
        }

        var entries = new List<PartialResultLine>(succeeded.Count);
        var counter = new JsonByteCounter();
        long total = 0;
        foreach (ToolCallRecord call in succeeded)
        {
            if (Measure(counter, call.Result) is not { } measured)
            {
                break;
            }

            var (result, bytes) = measured;
            total += bytes;
            if (total > WireLimits.MaxPartialResultsBytes)
            {
                break;
            }

            entries.Add(new PartialResultLine(call.CallId, call.Tool, result));
        }

        return new PartialResultSelection(entries, Truncated: entries.Count < succeeded.Count);
    }

    /// <summary>
    /// The result as the line carries it and its size; a lone surrogate a handler's parsed JSON holds becomes U+FFFD,
    /// and null means the result cannot be carried: too deep, or a key System.Text.Json cannot read back.
    /// </summary>
    private static (JsonNode? Result, long Bytes)? Measure(JsonByteCounter counter, JsonNode? result)
    {
        try
        {
            // Depth first: the counter writes with the line's own depth limit.
            return WireLimits.FitsPartialResult(result) ? (result, counter.Count(result)) : null;
        }
        catch (Exception ex) when (WellFormedText.IsLoneSurrogateFailure(ex))
        {
            try
            {
                var repaired = WellFormedText.Repair(result);
                return (repaired, counter.Count(repaired));
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The calls of a line, each partial result attached to its call. Missing <c>calls</c> (a line written before
    /// they existed) reads as none. The wire keeps only an error's code, so a call's error has an empty message.
    /// </summary>
    /// <exception cref="FormatException">An entry is null or unknown, or a partial result matches no call with
    /// status <c>ok</c> (or the same one twice, or under another tool name).</exception>
    internal static IReadOnlyList<ToolCallRecord> FromWire(IReadOnlyList<CallLine?>? calls, IReadOnlyList<PartialResultLine?>? partialResults)
    {
        List<ToolCallRecord> records = [.. (calls ?? []).Select(ToRecord)];
        if (partialResults is null)
        {
            return records;
        }

        var awaitingResult = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i].Status == ToolCallStatus.Succeeded)
            {
                awaitingResult.TryAdd(records[i].CallId, i);
            }
        }

        foreach (PartialResultLine? entry in partialResults)
        {
            PartialResultLine p = WireMapper.NotNull(entry, WireNames.PartialResults);
            if (!awaitingResult.Remove(p.Id, out int i) || records[i].Tool != p.Tool)
            {
                throw new FormatException($"The partial result of '{p.Id}' ({p.Tool}) matches no call with status ok, or repeats one.");
            }

            records[i] = records[i] with { Result = p.Result };
        }

        return records;
    }

    private static ToolCallRecord ToRecord(CallLine? call)
    {
        CallLine c = WireMapper.NotNull(call, WireNames.Calls);
        return new ToolCallRecord(c.Id, c.Tool, WireNames.ParseCallStatus(c.Status), WireMapper.FromMilliseconds(c.Ms, WireNames.Ms))
        {
            Error = c.Code is { } code ? new ScriptError(WireNames.ParseCode(code), string.Empty) : null,
        };
    }
}

/// <summary>The partial results a line carries, and whether some were left out.</summary>
internal sealed record PartialResultSelection(IReadOnlyList<PartialResultLine> Entries, bool Truncated);
