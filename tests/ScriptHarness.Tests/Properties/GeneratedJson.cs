using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace ScriptHarness.Tests.Properties;

/// <summary>
/// A JSON value a tool can produce or a script can pass, within the documented rules: numbers are finite float64 (NaN
/// and infinities fail the call, integers beyond 2^53 are not exact in JavaScript), strings are well-formed UTF-16
/// (a lone surrogate in an argument is refused, in a result becomes U+FFFD — guarded by TOOL-070..073).
/// </summary>
public sealed record GeneratedJson(JsonNode? Value)
{
    public override string ToString() => Value?.ToJsonString() ?? "null";

    private static readonly string[] TrickyKeys =
        ["", "__proto__", "constructor", "toString", "prototype", "then", "1", "01", "-1", "4294967295", "length", "a b", "é", "😀", "\u2028"];

    public static Arbitrary<GeneratedJson> Arbitrary() => Gen.Sized(size => Node(Math.Min(size, 24))).Select(n => new GeneratedJson(n)).ToArbitrary();

    private static Gen<JsonNode?> Node(int size)
    {
        var leaves = Gen.Frequency(
            (1, Gen.Constant<JsonNode?>(null)),
            (1, Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b))),
            (3, Number().Select(d => (JsonNode?)JsonValue.Create(d))),
            (3, Text().Select(s => (JsonNode?)JsonValue.Create(s))));
        if (size <= 1)
        {
            return leaves;
        }

        var child = Gen.Sized(_ => Node(size / 3));
        var array = Gen.Choose(0, 5).SelectMany(n => child.ListOf(n)).Select(items => (JsonNode?)new JsonArray([.. items]));
        var obj = Gen.Choose(0, 5).SelectMany(n => Gen.Zip(Key(), child).ListOf(n)).Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in pairs)
            {
                o[k] = v; // a repeated key keeps the last value, as JSON.parse does
            }

            return (JsonNode?)o;
        });
        return Gen.Frequency((3, leaves), (2, array), (2, obj));
    }

    private static Gen<double> Number() => Gen.Frequency(
        (3, Gen.Choose(-1000, 1000).Select(i => (double)i)),
        (2, Gen.Zip(Gen.Choose(-999_999, 999_999), Gen.Choose(-30, 30)).Select(p => double.Parse(
            string.Create(CultureInfo.InvariantCulture, $"{p.Item1}e{p.Item2}"), CultureInfo.InvariantCulture))),
        (1, Gen.Elements(
            -0.0, 0.5, 0.1, 1e21, 1e-7, 123456789012345678.0, 9007199254740991.0, -9007199254740991.0,
            double.MaxValue, double.Epsilon, -double.Epsilon, 1.7976931348623155e308, 2.2250738585072014e-308)));

    private static Gen<string> Text() => Gen.Frequency(
            (5, Gen.Choose(' ', '~').Select(c => ((char)c).ToString())),
            (1, Gen.Choose(0, 0x1F).Select(c => ((char)c).ToString())),
            (1, Gen.Elements("é", "日", "\u2028", "\u2029", "\u202E", "\uFEFF", "\uFFFD", "😀", "\U0010FFFF", "\"", "\\", "</tool-calls>")))
        .ArrayOf()
        .Select(parts => string.Concat(parts));

    private static Gen<string> Key() => Gen.Frequency((1, Gen.Elements(TrickyKeys)), (2, Text()));

    /// <summary>
    /// Structural equality as JSON means it: objects compare as key sets (JavaScript orders integer-like keys first),
    /// numbers as float64 values (-0 equals 0: JSON.stringify(-0) is "0").
    /// </summary>
    public static bool SameJson(JsonNode? a, JsonNode? b, out string where, string path = "$")
    {
        where = path;
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                if (x.Count != y.Count)
                {
                    where = $"{path}: {x.Count} keys vs {y.Count} ([{string.Join(",", x.Select(p => p.Key))}] vs [{string.Join(",", y.Select(p => p.Key))}])";
                    return false;
                }

                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other))
                    {
                        where = $"{path}: key '{key}' missing";
                        return false;
                    }

                    if (!SameJson(value, other, out where, $"{path}[{key}]"))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    where = $"{path}: length {x.Count} vs {y.Count}";
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!SameJson(x[i], y[i], out where, $"{path}[{i}]"))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue x, JsonValue y):
                var kx = x.GetValueKind();
                var ky = y.GetValueKind();
                var same = kx == ky && kx switch
                {
                    System.Text.Json.JsonValueKind.Number => x.GetValue<double>() == y.GetValue<double>(),
                    System.Text.Json.JsonValueKind.String => string.Equals(x.GetValue<string>(), y.GetValue<string>(), StringComparison.Ordinal),
                    _ => true,
                };
                if (!same)
                {
                    where = $"{path}: {x.ToJsonString()} vs {y.ToJsonString()}";
                }

                return same;
            default:
                where = $"{path}: {a?.ToJsonString() ?? "null"} vs {b?.ToJsonString() ?? "null"}";
                return false;
        }
    }
}
