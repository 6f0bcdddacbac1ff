using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ScriptHarness.Cli.Tests;

/// <summary>Runs the built <c>scriptharness</c> CLI as a real process.</summary>
internal static class CliProcess
{
    public static string Metadata(string key) =>
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepoRoot => Path.GetFullPath(Metadata("RepoRoot"));

    public static string Samples => Path.Combine(RepoRoot, "samples");

    public static string CliAssembly => Path.GetFullPath(Metadata("CliAssembly"));

    /// <summary>How to start the CLI with every standard stream redirected, for a test that drives the process itself.</summary>
    /// <param name="args">The command line after the command's name.</param>
    /// <param name="workingDirectory">The process's current directory; the repository root when null.</param>
    /// <param name="cliAssembly">Another copy of the CLI to run.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null, string? cliAssembly = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        start.ArgumentList.Add(cliAssembly ?? CliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <param name="args">The command line after the command's name.</param>
    /// <param name="stdin">Standard input; empty (closed at once) when null.</param>
    /// <param name="environment">Variables to set for the process.</param>
    /// <param name="workingDirectory">The process's current directory; the repository root when null.</param>
    /// <param name="cliAssembly">Another copy of the CLI to run (one without V8's native library, say).</param>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> args, byte[]? stdin = null, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null,
        string? cliAssembly = null)
    {
        var start = StartInfo(args, workingDirectory, cliAssembly);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return new CliResult(process.ExitCode, output.ToArray(), await stderr);
    }
}

/// <summary>What the CLI process did.</summary>
internal sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
