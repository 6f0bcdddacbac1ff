using System.Globalization;
using System.Text.Json.Nodes;

namespace ScriptHarness.Benchmarks.Report;

/// <summary>The records of one JSONL results file (bench.mjs's or ours): the meta line and the results by key.</summary>
internal sealed class Results
{
    private readonly Dictionary<string, JsonObject> _byKey;

    private Results(JsonObject? meta, List<JsonObject> records)
    {
        Meta = meta;
        Records = records;
        _byKey = [];
        foreach (var r in records)
        {
            _byKey.TryAdd(Key(Str(r, "anchor"), Str(r, "workload"), Str(r, "variant")), r);
            _byKey.TryAdd(Key(Str(r, "anchor"), Str(r, "workload"), null), r);
        }
    }

    public JsonObject? Meta { get; }

    public IReadOnlyList<JsonObject> Records { get; }

    public static Results Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return new Results(null, []);
        }

        var lines = File.ReadAllLines(path).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        return new Results(lines.FirstOrDefault(l => Str(l, "type") == "meta"), [.. lines.Where(l => Str(l, "type") == "result")]);
    }

    /// <summary>The record of (anchor, workload[, variant]); with no variant, the first record of the pair.</summary>
    public JsonObject? Get(string anchor, string workload, string? variant = null) =>
        _byKey.GetValueOrDefault(Key(anchor, workload, variant));

    public static string? Str(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static double? Num(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static bool? Bool(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static bool IsOk(JsonObject? o) => o is not null && Bool(o, "ok") == true && o["skipped"] is null;

    private static string Key(string? anchor, string? workload, string? variant) =>
        string.Create(CultureInfo.InvariantCulture, $"{anchor}|{workload}|{variant ?? "*"}");
}
