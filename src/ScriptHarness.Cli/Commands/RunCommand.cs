using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Cli.Commands;

/// <summary><c>scriptharness run [FILE|-]</c>: process one model reply and print what the conversation gets back.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var input = new Argument<string?>("FILE") { Description = "The model reply to process; '-' or nothing reads standard input.", Arity = ArgumentArity.ZeroOrOne };
        var engine = new Option<string?>("--engine") { Description = "Engine to run scripts on (default: jint)." };
        var format = new Option<string>("--format") { Description = "Output: text (for people), jsonl (one JSON object per segment), msgpack (binary frames).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "jsonl", "msgpack");
        var workspace = CliOptions.Workspace();
        var toolset = CliOptions.Toolset();
        var timeout = new Option<int?>("--timeout-ms") { Description = "Wall-clock limit per script, in milliseconds (default 30000)." };
        var memory = new Option<int?>("--memory-mb") { Description = "Memory limit per script, in MiB (default 96)." };
        var maxCalls = new Option<int?>("--max-tool-calls") { Description = "Tool calls allowed per script (default 32)." };
        var config = CliOptions.Config();
        var approve = new Option<string?>("--approve") { Description = "Tool calls that need approval: ask (prompt on the terminal), all, none. Default: ask on a terminal, none otherwise." };
        approve.AcceptOnlyFromAmong("ask", "all", "none");
        var isolation = new Option<string?>("--isolation") { Description = "Where scripts run: process (worker processes; default for v8) or in-process (default for jint; a script can abort this process on v8)." };
        isolation.AcceptOnlyFromAmong("process", "in-process");
        var mode = new Option<string?>("--mode") { Description = "Tool mode: enabled, dry-run (handlers not called), disabled (scripts not run)." };
        mode.AcceptOnlyFromAmong("enabled", "dry-run", "disabled");

        var mcp = CliOptions.Mcp();
        var command = new Command("run", "Run the tool-call scripts of a model reply and print the results.")
        {
            input, engine, format, workspace, toolset, timeout, memory, maxCalls, config, approve, mode, isolation, mcp,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var settings = new RunSettings(
                    parse.GetValue(input), parse.GetValue(engine), parse.GetValue(format)!, parse.GetValue(workspace),
                    parse.GetValue(toolset)!, parse.GetValue(timeout), parse.GetValue(memory), parse.GetValue(maxCalls),
                    parse.GetValue(config), parse.GetValue(approve), parse.GetValue(mode), parse.GetValue(mcp) ?? [])
                {
                    Isolation = parse.GetValue(isolation),
                };
                return await ExecuteAsync(settings, cancellationToken).ConfigureAwait(false);
            }
            catch (CliUsageException ex)
            {
                await Console.Error.WriteLineAsync("scriptharness: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (Exception ex) when (ex is OptionsValidationException or ConfigurationException or InvalidOperationException { InnerException: not null })
            {
                await Console.Error.WriteLineAsync("scriptharness: invalid configuration: " + Describe(ex)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private sealed record RunSettings(
        string? Input, string? Engine, string Format, DirectoryInfo? Workspace, string Toolset, int? TimeoutMs,
        int? MemoryMb, int? MaxToolCalls, FileInfo? Config, string? Approve, string? Mode, IReadOnlyList<string> Mcp)
    {
        public string? Isolation { get; init; }
    }

    private static async Task<int> ExecuteAsync(RunSettings settings, CancellationToken invocationToken)
    {
        // Ctrl+C (SIGINT) and SIGTERM cancel the run instead of killing the process, so the output gets its clear end.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        var cancellationToken = interrupted.Token;

        var reply = await ReadInputAsync(settings.Input, cancellationToken).ConfigureAwait(false);
        var configuration = CliHost.BuildConfiguration(settings.Config, Overrides(settings));
        var toolSets = CliHost.ResolveToolSets(settings.Toolset, settings.Workspace);
        var approvals = Approvals(settings.Approve, interactiveInput: settings.Input is not null and not "-");
        await using var mcpServers = await CliMcpServers.StartAsync(CliMcpServers.Lines(configuration, settings.Mcp), toolSets, cancellationToken).ConfigureAwait(false);
        await using var services = CliHost.BuildServices(configuration, [.. toolSets, .. mcpServers.ToolSets], approvals);
        var harness = services.GetRequiredService<IScriptHarness>();
        var options = new RunOptions { Mode = ParseMode(settings.Mode) };

        var output = ResponseWriter.Create(settings.Format);
        var next = 0;
        try
        {
            await foreach (var item in harness.RunAsync(reply, options, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                next = item.Index + 1;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C (SIGINT) or SIGTERM: the items so far are out; each block without a result gets a cancelled one.
            foreach (var cancelled in CancelledResults.After(reply, next))
            {
                await output.WriteAsync(cancelled, CancellationToken.None).ConfigureAwait(false);
            }

            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;

        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    private static async Task<byte[]> ReadInputAsync(string? input, CancellationToken cancellationToken)
    {
        if (input is null or "-")
        {
            if (input is null && !Console.IsInputRedirected)
            {
                throw new CliUsageException("no reply given: pass a FILE, or pipe the reply to standard input");
            }

            using var buffer = new MemoryStream();
            await using var stdin = Console.OpenStandardInput();
            await stdin.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }

        try
        {
            return await File.ReadAllBytesAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read '{input}': {ex.Message}");
        }
    }

    private static Dictionary<string, string?> Overrides(RunSettings s)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (s.Engine is not null)
        {
            overrides["Engine"] = s.Engine;
        }

        if (s.Isolation is not null)
        {
            overrides["Isolation"] = s.Isolation == "in-process" ? nameof(EngineIsolation.InProcess) : nameof(EngineIsolation.Process);
        }

        if (s.TimeoutMs is { } ms)
        {
            overrides["Limits:Timeout"] = Positive(ms, "--timeout-ms") is var v ? TimeSpan.FromMilliseconds(v).ToString("c", CultureInfo.InvariantCulture) : null;
        }

        if (s.MemoryMb is { } mb)
        {
            overrides["Limits:MemoryBytes"] = (Positive(mb, "--memory-mb") * 1024L * 1024).ToString(CultureInfo.InvariantCulture);
        }

        if (s.MaxToolCalls is { } calls)
        {
            overrides["Limits:MaxToolCalls"] = calls < 0
                ? throw new CliUsageException("--max-tool-calls must not be negative")
                : calls.ToString(CultureInfo.InvariantCulture);
        }

        return overrides;
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new CliUsageException($"{name} must be positive");

    private static ToolMode? ParseMode(string? mode) => mode switch
    {
        null => null,
        "dry-run" => ToolMode.DryRun,
        "disabled" => ToolMode.Disabled,
        _ => ToolMode.Enabled,
    };

    private static IApprovalService Approvals(string? approve, bool interactiveInput)
    {
        // Asking needs a person at a terminal, and standard input must not be the reply itself.
        var canAsk = interactiveInput && !Console.IsInputRedirected && !Console.IsErrorRedirected;
        return (approve ?? (canAsk ? "ask" : "none")) switch
        {
            "all" => FixedApprovalService.ApproveAll,
            "ask" when canAsk => new ConsoleApprovalService(Console.In, Console.Error),
            "ask" => FixedApprovalService.DenyAllWith("approval is needed but there is no terminal to ask on (use --approve all or none)"),
            _ => FixedApprovalService.DenyAllWith("denied by --approve none"),
        };
    }

    private static string Describe(Exception ex) => ex switch
    {
        OptionsValidationException o => string.Join("; ", o.Failures),
        ConfigurationException c => string.Join("; ", c.Problems),
        _ => ex.InnerException?.Message ?? ex.Message,
    };
}
