using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using ScriptHarness.Cli;
using ScriptHarness.Cli.Commands;
using ScriptHarness.Cli.Startup;
using ScriptHarness.Startup;

// Cold start: Jint's one-time work goes to the other core while the command line is read (JintWarmUp); any other
// command still skips ICU's time-zone names (TimeZoneDisplayNames).
if (JintWarmUp.Wanted(args))
{
    JintWarmUp.Start();
}
else
{
    TimeZoneDisplayNames.UseIdentifiers();
}

// The command is called scriptharness whatever the assembly's name (a dotnet tool's command, ToolCommandName): a
// RootCommand would take its name from ScriptHarness.Cli.dll, so the root is a plain command with help and version.
var root = new Command("scriptharness", "ScriptHarness: run the <tool-calls> scripts of a model reply in a sandbox.");
foreach (var command in CliCommands.For(args))
{
    root.Subcommands.Add(command);
}

root.Options.Add(new HelpOption());
root.Options.Add(new VersionOption());

// No arguments: the help, on standard output, exit 0 (clig.dev: show help when run with nothing to do). It is what
// was asked for, not a mistake to report; a subcommand missing its input is one (exit 2).
var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
var usage = UsageErrors.Describe(parse);
if (usage.Count > 0)
{
    foreach (var line in usage)
    {
        await Console.Error.WriteLineAsync("scriptharness: " + line);
    }

    await Console.Error.WriteLineAsync(UsageErrors.HelpHint(parse));
    return ExitCodes.Usage;
}

// Only noted: a command that answers interrupts registers its own handler, one that does not is ended as usual.
var interrupted = 0;
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Interlocked.Exchange(ref interrupted, 1));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Interlocked.Exchange(ref interrupted, 1));
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException) when (Volatile.Read(ref interrupted) == 1)
{
    // Ctrl+C or SIGTERM where a command had nothing of its own to say about it (run answers with cancelled results).
    await Console.Error.WriteLineAsync("scriptharness: interrupted");
    return ExitCodes.Cancelled;
}
catch (Exception ex)
{
    // A bug, not a usage error: one line that says so, and the details for the report.
    await Console.Error.WriteLineAsync($"scriptharness: internal error: {CliMessages.Cause(ex)}");
    await Console.Error.WriteLineAsync("This is a bug in scriptharness; please report it with the command line and this output:");
    await Console.Error.WriteLineAsync(ex.ToString());
    return ExitCodes.InternalError;
}
