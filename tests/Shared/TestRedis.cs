using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ScriptHarness.Tests.TestSupport;

/// <summary>
/// The real Redis the state tests run against: <c>SCRIPTHARNESS_TEST_REDIS</c> (host:port, as CI sets it), else a
/// <c>redis-server</c> this test run starts on a free loopback port (stopped when the run ends), else none — the tests
/// that need it are then skipped with <see cref="SkipReason"/>, and the same tests still run on the in-memory cache.
/// </summary>
internal static class TestRedis
{
    public const string Variable = "SCRIPTHARNESS_TEST_REDIS";

    private static readonly Lazy<(string? Address, string? Reason)> Server = new(Start);

    /// <summary>host:port of the Redis to use, or null.</summary>
    public static string? Address => Server.Value.Address;

    /// <summary>Why there is no Redis, or null when there is one.</summary>
    public static string? SkipReason => Server.Value.Reason;

    private static (string?, string?) Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return (given, null);
        }

        var binary = FindOnPath("redis-server");
        if (binary is null)
        {
            return (null, $"no Redis: {Variable} is not set and redis-server is not installed");
        }

        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        if (process is null)
        {
            return (null, "redis-server did not start");
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };

        // Ready when it accepts connections; a server that never does is reported, not waited for forever.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                return (null, $"redis-server exited with code {process.ExitCode}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return ($"127.0.0.1:{port}", null);
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return (null, "redis-server did not accept connections within 5 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
