using System.Globalization;
using System.Text;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// One marshalling workload: a script that echoes the same argument <see cref="Calls"/> times and returns its JSON length;
/// <see cref="Json"/> is the argument's JSON text, as <c>JSON.stringify</c> writes it.
/// </summary>
internal sealed record MarshalScript(string Variant, string Source, int Calls, string Json)
{
    /// <summary>The argument's size as JSON (ASCII: bytes and characters alike).</summary>
    public int ArgumentBytes => Json.Length;
}

/// <summary>
/// Tool-call marshalling by argument size: <c>small</c> (<c>{"i":1}</c>), <c>1k</c> and <c>64k</c> (arrays of small
/// records), and the two shapes the speed issue names apart, a string (<c>1k-string</c>, <c>64k-string</c>) and an
/// array of numbers (<c>1k-numbers</c>, <c>64k-numbers</c>); each built once in the script, outside the loop. Every
/// call copies the argument out as JSON, validates it against the tool's schema, echoes it and copies the result back
/// in, deep-frozen.
/// </summary>
internal static class MarshalScripts
{
    /// <summary>Calls per script in the BenchmarkDotNet class, the same for every size.</summary>
    public const int Calls = 100;

    /// <summary>Calls per script in the compact run: fewer for 64 KB, so its iterations fit the child's time limit.</summary>
    public static int CompactCalls(string variant) => variant == "64k" ? 20 : Calls;

    public static readonly string[] Variants = ["small", "1k", "64k", "1k-string", "64k-string", "1k-numbers", "64k-numbers"];

    /// <summary>Whether the variant's calls are long enough to be measured with the large-workload iteration counts.</summary>
    public static bool IsLarge(string variant) => variant.StartsWith("64k", StringComparison.Ordinal);

    public static MarshalScript For(string variant, int calls = Calls) => variant switch
    {
        "small" => Make(variant, "{ i: 1 }", "{\"i\":1}", calls),
        "1k" => Records(variant, 1024, calls),
        "64k" => Records(variant, 64 * 1024, calls),
        "1k-string" => Text(variant, 1024, calls),
        "64k-string" => Text(variant, 64 * 1024, calls),
        "1k-numbers" => Numbers(variant, 1024, calls),
        "64k-numbers" => Numbers(variant, 64 * 1024, calls),
        _ => throw new ArgumentException($"unknown marshalling variant {variant}", nameof(variant)),
    };

    private static MarshalScript Records(string variant, int minBytes, int calls)
    {
        // JSON.stringify of { items: [ { id, name, tags }, … ] }, computed here to pick the count and know the size.
        var json = new StringBuilder("{\"items\":[");
        var count = 0;
        while (json.Length + 2 < minBytes)
        {
            var i = count.ToString(CultureInfo.InvariantCulture);
            json.Append(count == 0 ? string.Empty : ",").Append("{\"id\":").Append(i).Append(",\"name\":\"item-").Append(i).Append("\",\"tags\":[\"a\",\"b\"]}");
            count++;
        }

        json.Append("]}");
        var literal = $"{{ items: Array.from({{ length: {count} }}, (_, i) => ({{ id: i, name: 'item-' + i, tags: ['a', 'b'] }})) }}";
        return Make(variant, literal, json.ToString(), calls);
    }

    // { "text": "xxxx…" }: one string of ASCII letters, the JSON text minBytes long.
    private static MarshalScript Text(string variant, int minBytes, int calls)
    {
        var length = minBytes - "{\"text\":\"\"}".Length;
        var text = string.Concat(Enumerable.Repeat("abcdefghijklmnopqrstuvwxyz", (length / 26) + 1))[..length];
        return Make(variant, $"{{ text: 'abcdefghijklmnopqrstuvwxyz'.repeat({(length / 26) + 1}).slice(0, {length}) }}", $"{{\"text\":\"{text}\"}}", calls);
    }

    // { "values": [0.5, 1.5, …] }: numbers with a fraction (the general case, not the integer fast path), minBytes of JSON.
    private static MarshalScript Numbers(string variant, int minBytes, int calls)
    {
        var json = new StringBuilder("{\"values\":[");
        var count = 0;
        while (json.Length + 2 < minBytes)
        {
            json.Append(count == 0 ? string.Empty : ",").Append((count + 0.5).ToString(CultureInfo.InvariantCulture));
            count++;
        }

        json.Append("]}");
        return Make(variant, $"{{ values: Array.from({{ length: {count} }}, (_, i) => i + 0.5) }}", json.ToString(), calls);
    }

    private static MarshalScript Make(string variant, string argument, string json, int calls) => new(variant, $$"""
        const a = {{argument}};
        for (let i = 0; i < {{calls}}; i++) {
          await tools.test.echo(a);
        }
        return JSON.stringify(a).length;
        """, calls, json);
}
