using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Context;
using ScriptHarness.Serialization;
using ScriptHarness.State;

namespace ScriptHarness.Cli.Commands;

/// <summary><c>scriptharness run [FILE|-]</c>: process one model reply and print what the conversation gets back.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var input = new Argument<string?>("FILE") { Description = "The model reply to process; '-' or nothing reads standard input.", Arity = ArgumentArity.ZeroOrOne };
        var engine = CliOptions.Engine();
        var format = new Option<string>("--format")
        {
            Description = "Output: text (for people; progress messages on stderr), jsonl (one JSON object per segment), msgpack (binary frames).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|jsonl|msgpack",
        };
        CliOptions.OneOf(format, "text", "jsonl", "msgpack");
        var workspace = CliOptions.Workspace();
        var toolset = CliOptions.Toolset();
        var timeout = CliOptions.WholeNumber("--timeout-ms", "Wall-clock limit per script, in milliseconds (default 30000).", "milliseconds", 1);
        var memory = CliOptions.WholeNumber("--memory-mb", "Memory limit per script, in MiB (default 96).", "MiB", 1);
        var maxCalls = CliOptions.WholeNumber("--max-tool-calls", "Tool calls allowed per script (default 32).", "tool calls", 0);
        var config = CliOptions.Config();
        var approve = new Option<string?>("--approve")
        {
            Description = "Tool calls that need approval: ask (prompt on the terminal; needs one), all, none, or durable (the block ends suspended "
                + "with a resume token; continue it later with 'scriptharness resume TOKEN', in another process when --state is redis://…). "
                + "Default: ask on a terminal, none otherwise.",
            HelpName = "ask|all|none|durable",
        };
        CliOptions.OneOf(approve, "ask", "all", "none", "durable");
        var isolation = new Option<string?>("--isolation")
        {
            Description = "Where scripts run: process (worker processes; default for v8) or in-process (default for jint; a script can abort this process on v8).",
            HelpName = "process|in-process",
        };
        CliOptions.OneOf(isolation, "process", "in-process");
        var mode = new Option<string?>("--mode")
        {
            Description = "Tool mode: enabled, dry-run (handlers not called), disabled (scripts not run).",
            HelpName = "enabled|dry-run|disabled",
        };
        CliOptions.OneOf(mode, "enabled", "dry-run", "disabled");

        var conversation = new Option<string?>("--conversation")
        {
            Description = "The conversation the reply belongs to: scripts keep state under it with store/load, shared by runs with the same id and --state redis://… (default: a new id per run).",
            HelpName = "ID",
        };
        conversation.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } id && !ConversationIds.IsValid(id))
            {
                result.AddError($"--conversation '{id}' is not a conversation id: 1 to {ConversationIds.MaxLength} letters, digits and . _ : -");
            }
        });
        var state = new Option<string?>("--state")
        {
            Description = "Where scripts' state (store/load) lives: memory (this run only; default) or redis://HOST:PORT (shared by runs and hosts). Also the configuration key State:Redis.",
            HelpName = "memory|redis://HOST:PORT",
        };
        state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && value != "memory"
                && !(value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && RedisAddress.Parse(value) is not null))
            {
                result.AddError($"--state '{value}' is not a state store: use memory or redis://HOST:PORT");
            }
        });

        var mcp = CliOptions.Mcp();
        var command = new Command("run", "Run the tool-call scripts of a model reply and print the results.")
        {
            input, engine, format, workspace, toolset, timeout, memory, maxCalls, config, approve, mode, isolation, mcp, conversation, state,
        };

        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(() =>
        {
            var settings = new RunSettings(
                parse.GetValue(input), parse.GetValue(engine), parse.GetValue(format)!, parse.GetValue(workspace),
                parse.GetValue(toolset)!, parse.GetValue(timeout), parse.GetValue(memory), parse.GetValue(maxCalls),
                parse.GetValue(config), parse.GetValue(approve), parse.GetValue(mode), parse.GetValue(mcp) ?? [])
            {
                Isolation = parse.GetValue(isolation),
                Conversation = parse.GetValue(conversation),
                State = parse.GetValue(state),
            };
            return ExecuteAsync(settings, cancellationToken);
        }));
        return command;
    }

    private sealed record RunSettings(
        string? Input, string? Engine, string Format, DirectoryInfo? Workspace, string Toolset, int? TimeoutMs,
        int? MemoryMb, int? MaxToolCalls, FileInfo? Config, string? Approve, string? Mode, IReadOnlyList<string> Mcp)
    {
        public string? Isolation { get; init; }

        public string? Conversation { get; init; }

        public string? State { get; init; }
    }

    private static async Task<int> ExecuteAsync(RunSettings settings, CancellationToken invocationToken)
    {
        // Ctrl+C (SIGINT) and SIGTERM cancel the run instead of killing the process, so the output gets its clear end.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        var cancellationToken = interrupted.Token;

        // Before anything is read or started: an approval mode that cannot work is a usage error, not a silent "deny".
        var approvals = Approvals(settings.Approve, interactiveInput: settings.Input is not null and not "-");
        var configuration = CliHost.BuildConfiguration(settings.Config, Overrides(settings));
        var reply = await ReadInputAsync(settings.Input, ReadLimit(configuration), cancellationToken).ConfigureAwait(false);
        var toolSets = CliHost.ResolveToolSets(settings.Toolset, settings.Workspace);
        CliMcpServers? mcpServers = null;
        ServiceProvider? services = null;
        try
        {
            HarnessPipeline harness;
            var options = Options(settings);
            try
            {
                // Starting an MCP server (npx may download it first) or the engine can take seconds: an interrupt then is
                // answered like one during the run, with a cancelled result for each block, not with the exception.
                mcpServers = await CliMcpServers.StartAsync(CliMcpServers.Lines(configuration, settings.Mcp), configuration, toolSets, cancellationToken).ConfigureAwait(false);
                services = CliHost.BuildServices(configuration, [.. toolSets, .. mcpServers.ToolSets], approvals);
                harness = services.GetRequiredService<HarnessPipeline>();
                if ((options.Mode ?? harness.Options.Mode) != ToolMode.Disabled)
                {
                    await EngineProbe.EnsureRunsAsync(harness, services, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await using var output = ResponseWriter.Create(settings.Format);
                await WriteCancelledAsync(output, reply, next: 0).ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }

            return await RunAsync(harness, options, reply, settings.Format, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (services is not null)
            {
                await services.DisposeAsync().ConfigureAwait(false);
            }

            if (mcpServers is not null)
            {
                await mcpServers.DisposeAsync().ConfigureAwait(false);
            }
        }

        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    private static RunOptions Options(RunSettings settings)
    {
        // The conversation is always given (a fresh one per run by default), so blocks of one reply share state too.
        var identity = RunIdentity.NewAdHoc();
        return new RunOptions
        {
            Mode = ParseMode(settings.Mode),
            Identity = settings.Conversation is { } conversation ? identity with { ConversationId = conversation } : identity,
        };
    }

    private static async Task WriteCancelledAsync(ResponseWriter output, byte[] reply, int next)
    {
        // Ctrl+C (SIGINT) or SIGTERM: the items so far are out; each block without a result gets a cancelled one.
        foreach (var cancelled in CancelledResults.After(reply, next))
        {
            await output.WriteAsync(cancelled, CancellationToken.None).ConfigureAwait(false);
        }

        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(HarnessPipeline harness, RunOptions options, byte[] reply, string format, CancellationToken cancellationToken)
    {
        await using var output = ResponseWriter.Create(format);
        var next = 0;
        try
        {
            if (format == "text")
            {
                // For people: context.progress messages (as the script's limits let them through) on stderr as they come.
                await foreach (var e in output.FlushWhenIdle(harness.RunEventsAsync(reply, options, cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    switch (e)
                    {
                        case ProgressEvent progress:
                            var line = $"script #{progress.Index} progress: {ConsoleApprovalService.ForTerminal(progress.Message)}";
                            await Console.Error.WriteLineAsync(line.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                            break;
                        case ResponseItemEvent { Item: var item }:
                            await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                            next = item.Index + 1;
                            break;
                    }
                }
            }
            else
            {
                await foreach (var item in output.FlushWhenIdle(harness.RunAsync(reply, options, cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                    next = item.Index + 1;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await WriteCancelledAsync(output, reply, next).ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }

        // Every item is out of the run: an interrupt now must not lose the ones still buffered.
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    // The harness reads no more of a reply than MaxReplyLength characters, which UTF-8 holds in at most three bytes
    // each: reading further would only hold in memory what is not looked at. A setting out of range is the
    // configuration check's to report, after this; the default bounds the read meanwhile.
    private static int ReadLimit(IConfiguration configuration)
    {
        var defaults = new ScriptHarnessOptions();
        var length = int.TryParse(configuration[nameof(ScriptHarnessOptions.MaxReplyLength)], NumberStyles.Integer, CultureInfo.InvariantCulture, out var set)
            && (defaults with { MaxReplyLength = set }).Validate().Count == 0 ? set : defaults.MaxReplyLength;
        return (int)Math.Min((3L * length) + 4, Array.MaxLength);
    }

    private static async Task<byte[]> ReadInputAsync(string? input, int limit, CancellationToken cancellationToken)
    {
        if (input is null or "-")
        {
            if (input is null && !Console.IsInputRedirected)
            {
                throw new CliUsageException("no reply given: pass a FILE, or pipe the reply to standard input");
            }

            await using var stdin = Console.OpenStandardInput();
            return await ReadAtMostAsync(stdin, limit, cancellationToken).ConfigureAwait(false);
        }

        if (Directory.Exists(input))
        {
            throw new CliUsageException($"'{input}' is a directory: pass the reply's file, or - for standard input");
        }

        try
        {
            // Read synchronously: a reply file is small and local, and the asynchronous read's first use (its thread-pool
            // hop and file-stream strategy) cost a cold run ~10 ms on the path to the first result.
            using var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (file.CanSeek && file.Length <= limit)
            {
                var whole = new byte[file.Length];
                file.ReadExactly(whole);
                return whole;
            }

            return ReadAtMost(file, limit);
        }
        catch (FileNotFoundException)
        {
            throw new CliUsageException($"'{input}' does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliUsageException($"'{input}' does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read '{input}': permission denied");
        }
        catch (IOException ex)
        {
            throw new CliUsageException($"cannot read '{input}': {ex.Message}");
        }
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The <c>State:Redis</c> override for <c>--state</c>: memory overrides one from the configuration file or the environment.</summary>
    internal static string StateOverride(string state) => state == "memory" ? string.Empty : state;

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

        if (s.Approve == "durable")
        {
            overrides["DurableApprovals"] = "true";
        }

        // The values are already checked by their options' parsers.
        if (s.State is { } state)
        {
            // memory overrides a State:Redis from the configuration file or the environment.
            overrides["State:Redis"] = StateOverride(state);
        }

        if (s.TimeoutMs is { } ms)
        {
            overrides["Limits:Timeout"] = TimeSpan.FromMilliseconds(ms).ToString("c", CultureInfo.InvariantCulture);
        }

        if (s.MemoryMb is { } mb)
        {
            overrides["Limits:MemoryBytes"] = (mb * 1024L * 1024).ToString(CultureInfo.InvariantCulture);
        }

        if (s.MaxToolCalls is { } calls)
        {
            overrides["Limits:MaxToolCalls"] = calls.ToString(CultureInfo.InvariantCulture);
        }

        return overrides;
    }

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
            // Never asked: with durable approvals a call needing approval suspends its block instead.
            "durable" => FixedApprovalService.DenyAllWith("denied: durable approvals suspend instead of asking"),
            "ask" when canAsk => new ConsoleApprovalService(Console.In, Console.Error),
            "ask" => throw new CliUsageException(
                "--approve ask needs a terminal to ask on: the reply from FILE, with standard input and standard error a terminal; "
                + "use --approve all or --approve none"),
            _ => FixedApprovalService.DenyAllWith("denied by --approve none"),
        };
    }
}
