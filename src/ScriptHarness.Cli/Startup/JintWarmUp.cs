using System.Security.Cryptography;
using ScriptHarness.Engines.Jint;

namespace ScriptHarness.Cli.Startup;

/// <summary>
/// Starts Jint's one-time work (its static tables, the time-zone list, the first engine and realm) on the other core
/// while the main thread parses the command line, reads the reply and builds the configuration and services: on a cold
/// start these overlap instead of adding up. Then the path of a script itself is warmed the same way: the first hash
/// (loading OpenSSL, ~13 ms) and a whole <c>return 1</c> through a sandbox of its own, so the run's first script finds
/// that code compiled.
/// </summary>
internal static class JintWarmUp
{
    /// <summary>Whether <paramref name="args"/> may run scripts on Jint: a <c>run</c> that does not name V8.</summary>
    public static bool Wanted(IReadOnlyList<string> args) =>
        args.Count > 0 && args[0] == "run" && !args.Any(a => a.EndsWith("v8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Starts the warm-up; nothing waits for it, and a failure here is left to the real run to meet.</summary>
    public static void Start() => ThreadPool.UnsafeQueueUserWorkItem(static _ => _ = RunAsync(), null);

    private static async Task RunAsync()
    {
        ScriptHarness.Startup.TimeZoneDisplayNames.UseIdentifiers();
#pragma warning disable CA1031 // A warm-up must never fault the process: the run itself reports any real problem.
        try
        {
            using (var engine = new Jint.Engine())
            {
                engine.Evaluate("0");
            }

            SHA256.HashData([]);
        }
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }
}
