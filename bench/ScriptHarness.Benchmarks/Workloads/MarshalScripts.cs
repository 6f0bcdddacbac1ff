using System.Globalization;
using System.Text;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>One marshalling workload: a script that echoes the same argument <see cref="Calls"/> times and returns its JSON length.</summary>
internal sealed record MarshalScript(string Variant, string Source, int Calls, int ArgumentBytes);

/// <summary>
/// Tool-call marshalling by argument size: <c>small</c> (<c>{"i":1}</c>), <c>1k</c> and <c>64k</c> (arrays of small
/// records, built once in the script, outside the loop). Every call copies the argument out as JSON, validates it
/// against the tool's schema, echoes it and copies the result back in, deep-frozen.
/// </summary>
internal static class MarshalScripts
{
    /// <summary>Calls per script in the BenchmarkDotNet class, the same for every size.</summary>
    public const int Calls = 100;

    /// <summary>Calls per script in the compact run: fewer for 64 KB, so its iterations fit the child's time limit.</summary>
    public static int CompactCalls(string variant) => variant == "64k" ? 20 : Calls;

    public static readonly string[] Variants = ["small", "1k", "64k"];

    public static MarshalScript For(string variant, int calls = Calls) => variant switch
    {
        "small" => Make(variant, "{ i: 1 }", "{\"i\":1}".Length, calls),
        "1k" => Records(variant, 1024, calls),
        "64k" => Records(variant, 64 * 1024, calls),
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
        return Make(variant, literal, json.Length, calls);
    }

    private static MarshalScript Make(string variant, string argument, int bytes, int calls) => new(variant, $$"""
        const a = {{argument}};
        for (let i = 0; i < {{calls}}; i++) {
          await tools.test.echo(a);
        }
        return JSON.stringify(a).length;
        """, calls, bytes);
}
