using System.Text.Json.Nodes;
using ScriptHarness.Benchmarks.Workloads;
using static ScriptHarness.Benchmarks.Compact.Measure;

namespace ScriptHarness.Benchmarks.Compact;

/// <summary>
/// The telemetry layers' cost (<see cref="TelemetrySetup"/>): W1 or W3 through the whole harness, plain, with the layers
/// and nobody listening (idle), and with a listener taking everything. Variant ids are <c>W1-plain</c> … <c>W3-listening</c>;
/// the report divides idle and listening by plain.
/// </summary>
internal static class TelemetryWorkloads
{
    public static IEnumerable<string> Variants =>
        new[] { "W1", "W3" }.SelectMany(w => TelemetrySetup.Variants.Select(v => $"{w}-{v}"));

    public static async Task<JsonObject> RunAsync(string engine, string variant)
    {
        var (workload, layers) = (variant.Split('-')[0], variant.Split('-')[^1]);
        using var setup = new TelemetrySetup(engine, workload, layers);
        var harness = setup.Harness;
        long scripts = 0;
        var m = await Measure.RunAsync(workload, _ =>
        {
            scripts++;
            return harness.RunAsync(Fresh(setup.Reply));
        }, setup.Check);

        // Bytes do not depend on the machine's load, so the idle row can be held to plain's figure: all threads, precise,
        // the same reply each time (the warm path every variant takes alike). The least of a few rounds: what else the
        // process allocates meanwhile (a thread-pool thread started under load, a timer) only ever adds.
        var (rounds, n) = workload == "W3" ? (Quick ? 3 : 5, Quick ? 2 : 5) : (5, Quick ? 20 : 100);
        var bytes = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < n; i++)
            {
                await harness.RunAsync(setup.Reply);
            }

            bytes = Math.Min(bytes, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)n);
            scripts += n;
        }

        m["allocated_bytes_per_script"] = Math.Round(bytes);
        if (workload == "W3")
        {
            m["per_call_median_us"] = R3(m["median_us"]!.GetValue<double>() / 1000);
            m["per_call_p95_us"] = R3(m["p95_us"]!.GetValue<double>() / 1000);
            m["allocated_bytes_per_call"] = R2(bytes / 1000);
        }

        m["spans_observed"] = setup.SpansObserved;
        if (setup.Listener is { } listener)
        {
            // A listener that saw nothing measured nothing: the row would be idle's figure under another name.
            m["spans_per_script"] = R2(listener.Spans / (double)scripts);
            m["measurements_per_script"] = R2(listener.Measurements / (double)scripts);
            if (listener.Spans == 0 || listener.Measurements == 0)
            {
                m["ok"] = false;
                m["error"] = $"the listener saw {listener.Spans} spans and {listener.Measurements} measurements";
            }
        }
        else if (setup.SpansObserved)
        {
            m["ok"] = false;
            m["error"] = "something listens to the spans of a variant that should have no listener";
        }

        m["desc"] = (workload == "W3" ? "whole harness, one block of 1000 sequential await tools.test.echo({i}) (median_us per script; per_call_* = /1000)"
                : "whole harness: HarnessPipeline.RunAsync(reply with one `return 1+1` block) (per script)")
            + layers switch
            {
                TelemetrySetup.Plain => "; no telemetry layers",
                TelemetrySetup.Idle => "; telemetry layers around the engine and the harness, nobody listening",
                _ => "; telemetry layers, an ActivityListener sampling every span and a MeterListener taking every measurement",
            };
        return m;
    }
}
