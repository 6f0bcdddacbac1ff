using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;
using ScriptHarness.State;

namespace ScriptHarness.Cli.Commands;

/// <summary>
/// <c>scriptharness resume TOKEN --approve|--deny</c>: continues a block that <c>run --approve durable</c> left suspended,
/// in this process or any other — the state store (<c>--state redis://…</c>) holds what it needs.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var token = new Argument<string>("TOKEN") { Description = "The resume token the suspended block printed." };
        var approve = new Option<bool>("--approve") { Description = "Approve the waiting call: it runs, and the block goes on." };
        var deny = new Option<bool>("--deny") { Description = "Deny the waiting call: the script sees approval_denied." };
        var reason = new Option<string?>("--reason") { Description = "Why it was denied; the script sees it.", HelpName = "TEXT" };
        var engine = CliOptions.Engine();
        var format = new Option<string>("--format")
        {
            Description = "Output: text, jsonl or msgpack, as for run.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|jsonl|msgpack",
        };
        CliOptions.OneOf(format, "text", "jsonl", "msgpack");
        var workspace = CliOptions.Workspace();
        var toolset = CliOptions.Toolset();
        var config = CliOptions.Config();
        var state = new Option<string?>("--state")
        {
            Description = "Where the suspended block was kept: redis://HOST:PORT (as given to run), or the configuration key State:Redis.",
            HelpName = "redis://HOST:PORT",
        };
        state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value
                && !(value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && RedisAddress.Parse(value) is not null))
            {
                result.AddError($"--state '{value}' is not a Redis address: use redis://HOST:PORT (a memory store ends with the run that suspended)");
            }
        });

        var command = new Command("resume", "Continue a block that ended suspended (run --approve durable), approving or denying the call it waits at.")
        {
            token, approve, deny, reason, engine, format, workspace, toolset, config, state,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(approve) == result.GetValue(deny))
            {
                result.AddError("give exactly one of --approve and --deny");
            }
        });

        command.SetAction((parse, cancellationToken) => CommandErrors.GuardAsync(async () =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["DurableApprovals"] = "true" };
            if (parse.GetValue(engine) is { } name)
            {
                overrides["Engine"] = name;
            }

            if (parse.GetValue(state) is { } address)
            {
                overrides["State:Redis"] = RunCommand.StateOverride(address);
            }

            var configuration = CliHost.BuildConfiguration(parse.GetValue(config), overrides);
            var toolSets = CliHost.ResolveToolSets(parse.GetValue(toolset)!, parse.GetValue(workspace));

            // Later calls that need approval suspend again (a new token); nobody is asked here.
            await using var services = CliHost.BuildServices(configuration, toolSets, FixedApprovalService.DenyAllWith("denied: durable approvals suspend instead of asking"));
            var harness = services.GetRequiredService<HarnessPipeline>();
            var decision = parse.GetValue(approve) ? ApprovalDecision.Approve : ApprovalDecision.Deny(parse.GetValue(reason));
            var outcome = await harness.ResumeAsync(parse.GetValue(token)!, decision, cancellationToken: cancellationToken).ConfigureAwait(false);

            await using var output = ResponseWriter.Create(parse.GetValue(format)!);
            await output.WriteAsync(new ScriptResultItem(outcome.Index, outcome), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
