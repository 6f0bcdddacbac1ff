using System.Security.Cryptography;

namespace ScriptHarness.Cli.Startup;

/// <summary>
/// Starts Jint's one-time work (its static tables, the time-zone list, the first engine and realm) on the other core
/// while the main thread parses the command line, reads the reply and builds the configuration and services: on a cold
/// start these overlap instead of adding up. Then the first hash, which loads OpenSSL (~13 ms), so the validation of the
/// run's first script does not.
/// </summary>
internal static class JintWarmUp
{
    /// <summary>Whether <paramref name="args"/> may run scripts on Jint: a <c>run</c> that does not name V8.</summary>
    public static bool Wanted(IReadOnlyList<string> args) =>
        args.Count > 0 && args[0] == "run" && !args.Any(a => a.EndsWith("v8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Starts the warm-up; nothing waits for it, and a failure here is left to the real run to meet.</summary>
    public static void Start() => ThreadPool.UnsafeQueueUserWorkItem(static _ => Run(), null);

    private static void Run()
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
