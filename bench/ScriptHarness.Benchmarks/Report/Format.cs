using System.Globalization;

namespace ScriptHarness.Benchmarks.Report;

/// <summary>A figure of a table cell: the number ratios are computed from, and its text.</summary>
internal sealed record Figure(double Value, string Text);

/// <summary>Number formats of the tables (those of bench.mjs's and engine-floor's tables).</summary>
internal static class Format
{
    public static string Us(double us)
    {
        if (us >= 1000)
        {
            var ms = us / 1000;
            return (ms >= 100 ? F(ms, "F0") : ms >= 10 ? F(ms, "F1") : F(ms, "F2")) + " ms";
        }

        return (us >= 100 ? F(us, "F0") : us >= 10 ? F(us, "F1") : F(us, "F2")) + " µs";
    }

    public static string Ms(double ms) => F(ms, "F2") + " ms";

    public static string Mb(double kb) => F(kb / 1024, "F0") + " MB";

    public static string Ratio(double r) => (r >= 100 ? F(r, "F0") : r >= 10 ? F(r, "F1") : r >= 0.1 ? F(r, "F2") : F(r, "F3")) + "×";

    public static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
}
