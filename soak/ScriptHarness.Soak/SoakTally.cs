using System.Text.Json.Nodes;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Soak;

/// <summary>Counts of what went wrong over a soak run; thread-safe.</summary>
internal sealed class SoakTally
{
    private long _replies;
    private long _lost;
    private long _duplicated;
    private long _reordered;
    private long _wrongCode;
    private long _starved;

    public long Replies => Interlocked.Read(ref _replies);

    public long Lost => Interlocked.Read(ref _lost);

    public long Duplicated => Interlocked.Read(ref _duplicated);

    public long Reordered => Interlocked.Read(ref _reordered);

    public long WrongCode => Interlocked.Read(ref _wrongCode);

    /// <summary>Memory bombs and deep recursions stopped by the time limit instead (allowed; see <see cref="ExpectedItem.Starved"/>).</summary>
    public long Starved => Interlocked.Read(ref _starved);

    public long Failures => Lost + Duplicated + Reordered + WrongCode;

    /// <summary>First few problems in words, for the log.</summary>
    public List<string> Samples { get; } = [];

    /// <summary>A reply whose run threw: all its items are lost.</summary>
    public void AddThrown(SoakReply reply, Exception exception)
    {
        Interlocked.Increment(ref _replies);
        Interlocked.Add(ref _lost, reply.Expected.Count);
        Sample($"reply {reply.Id} ({reply.Kind}) threw {exception.GetType().Name}: {exception.Message}");
    }

    /// <summary>
    /// Compares what a reply gave with what it should: items missing are lost, items beyond the expected ones or
    /// repeating an index are duplicated, indexes or texts/values out of order are reordered, and an item in the right
    /// place with the wrong status, code or value is a wrong code.
    /// </summary>
    public void Add(SoakReply reply, IReadOnlyList<ResponseItem> actual)
    {
        Interlocked.Increment(ref _replies);
        var expected = reply.Expected;
        var lost = Math.Max(0, expected.Count - actual.Count);
        var duplicated = Math.Max(0, actual.Count - expected.Count) + (actual.Count - actual.Select(i => i.Index).Distinct().Count());
        var reordered = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            if (actual[i].Index != i)
            {
                reordered++;
                break;
            }
        }

        var expectedKeys = expected.Select(Key).ToList();
        var actualKeys = actual.Select(Key).ToList();
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i].Starved is { } starved && actualKeys[i] == "error:" + starved)
            {
                actualKeys[i] = expectedKeys[i];
                Interlocked.Increment(ref _starved);
            }
        }

        if (reordered == 0 && expectedKeys.Order().SequenceEqual(actualKeys.Order(), StringComparer.Ordinal)
            && !expectedKeys.SequenceEqual(actualKeys, StringComparer.Ordinal))
        {
            reordered++;
        }

        var wrong = 0;
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (!string.Equals(expectedKeys[i], actualKeys[i], StringComparison.Ordinal) && !actualKeys.Contains(expectedKeys[i]))
            {
                wrong++;
                Sample($"reply {reply.Id} ({reply.Kind}) item {i}: expected {expectedKeys[i]}, got {actualKeys[i]}");
            }
        }

        if (lost + duplicated + reordered > 0)
        {
            Sample($"reply {reply.Id} ({reply.Kind}): expected [{string.Join(" | ", expectedKeys)}], got [{string.Join(" | ", actualKeys)}]");
        }

        Interlocked.Add(ref _lost, lost);
        Interlocked.Add(ref _duplicated, duplicated);
        Interlocked.Add(ref _reordered, reordered);
        Interlocked.Add(ref _wrongCode, wrong);
    }

    private static string Key(ExpectedItem item) =>
        item.Text is not null ? "text:" + item.Text : item.ValueJson is not null ? "value:" + item.ValueJson : "error:" + item.Code;

    private static string Key(ResponseItem item) => item switch
    {
        TextItem text => "text:" + text.Text,
        ScriptResultItem { Outcome.Status: ScriptStatus.Ok } result => "value:" + (result.Outcome.Value?.ToJsonString() ?? "null"),
        ScriptResultItem result => "error:" + (result.Outcome.Error?.Code.ToString() ?? result.Outcome.Status.ToString()),
        _ => "other:" + item.GetType().Name,
    };

    private void Sample(string line)
    {
        lock (Samples)
        {
            if (Samples.Count < 20)
            {
                Samples.Add(line);
            }
        }
    }
}
