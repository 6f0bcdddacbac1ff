using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Hosting;

/// <summary>
/// Several <c>AddScriptHarness</c> calls (the README's two snippets, copied into one host) compose: every call's tools,
/// approval policies and <c>Configure</c> delegates apply, and no approval policy is ever lost.
/// </summary>
public sealed class ComposedRegistrationTests
{
    private const string ShellScript = """
        <tool-calls>
        try { await tools.shell.run({ command: "rm -rf /srv" }); return "ran"; } catch (e) { return e.code; }
        </tool-calls>
        """;

    private static ApprovalPolicy ShellNeedsApproval => (tool, _) => tool.StartsWith("shell.", StringComparison.Ordinal);

    private sealed class Shell
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public ToolSet ToolSet => new("shell", [new ToolDefinition("shell.run", "runs a shell command", new JsonObject { ["type"] = "object" },
            (_, _, _) =>
            {
                Interlocked.Increment(ref _runs);
                return ValueTask.FromResult<JsonNode?>("done");
            })]);
    }

    private static async Task<(string? Value, IReadOnlyList<ApprovalRequest> Asked, HarnessPipeline Harness)> RunShellAsync(
        Action<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration> register)
    {
        var approvals = new RecordingApprovalService();
        var builder = TestHosts.Builder();
        builder.Services.AddSingleton<IApprovalService>(approvals);
        register(builder.Services, builder.Configuration.GetSection("ScriptHarness"));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var harness = host.Services.GetRequiredService<HarnessPipeline>();
            var outcome = await TestHosts.RunOneAsync(host.Services.GetRequiredService<IScriptHarness>(), ShellScript);
            return (outcome.Value?.GetValue<string>(), approvals.Requests, harness);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task ApprovalPolicy_InTheSecondCall_IsNotLost()
    {
        var shell = new Shell();
        var (value, asked, _) = await RunShellAsync((services, section) =>
        {
            // The README's "Using the library" snippet, then its "Approvals" snippet.
            services.AddScriptHarness(section, h => h.AddToolSet(shell.ToolSet)).AddJintEngine();
            services.AddScriptHarness(section, h => h.RequireApproval(ShellNeedsApproval));
        });

        Assert.Equal("approval_denied", value);
        Assert.Equal("shell.run", Assert.Single(asked).Tool);
        Assert.Equal(0, shell.Runs);
    }

    [Fact]
    public async Task ApprovalPolicy_InTheFirstCall_CoversToolsOfTheSecond()
    {
        var shell = new Shell();
        var (value, asked, _) = await RunShellAsync((services, section) =>
        {
            services.AddScriptHarness(section, h => h.RequireApproval(ShellNeedsApproval)).AddJintEngine();
            services.AddScriptHarness(section, h => h.AddToolSet(shell.ToolSet));
        });

        Assert.Equal("approval_denied", value);
        Assert.Single(asked);
        Assert.Equal(0, shell.Runs);
    }

    [Fact]
    public async Task ApprovalPolicies_OfEveryCall_AnyOneRequiringApprovalIsEnough()
    {
        var shell = new Shell();
        var (value, asked, _) = await RunShellAsync((services, section) =>
        {
            services.AddScriptHarness(section, h => h.AddToolSet(shell.ToolSet).RequireApproval((_, _) => false)).AddJintEngine();
            services.AddScriptHarness(section, h => h.RequireApproval(ShellNeedsApproval));
            services.AddScriptHarness(section, h => h.RequireApproval((tool, _) => tool == "files.write"));
        });

        Assert.Equal("approval_denied", value);
        Assert.Single(asked);
        Assert.Equal(0, shell.Runs);
    }

    [Fact]
    public async Task NoPolicyAnywhere_TheToolRunsWithoutAsking()
    {
        // The other side of the tests above: the approval really comes from the policy, not from the composition.
        var shell = new Shell();
        var (value, asked, _) = await RunShellAsync((services, section) =>
        {
            services.AddScriptHarness(section, h => h.AddToolSet(shell.ToolSet)).AddJintEngine();
            services.AddScriptHarness(section);
        });

        Assert.Equal("ran", value);
        Assert.Empty(asked);
        Assert.Equal(1, shell.Runs);
    }

    [Fact]
    public async Task Configure_OfEveryCall_AppliesInRegistrationOrder()
    {
        var shell = new Shell();
        var (_, _, harness) = await RunShellAsync((services, section) =>
        {
            services.AddScriptHarness(section, h => h.AddToolSet(shell.ToolSet).Configure(o => o with { MaxParallelScripts = 2 })).AddJintEngine();
            services.AddScriptHarness(section, h => h.Configure(o => o with { MaxParallelScripts = o.MaxParallelScripts * 3, MaxBlocksPerReply = 7 }));
        });

        Assert.Equal(6, harness.Options.MaxParallelScripts);
        Assert.Equal(7, harness.Options.MaxBlocksPerReply);
    }

    [Fact]
    public void TwoCalls_RegisterOneHarness()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddScriptHarness().AddJintEngine();
        builder.Services.AddScriptHarness();
        using var host = builder.Build();
        Assert.Same(host.Services.GetRequiredService<HarnessPipeline>(), host.Services.GetRequiredService<IScriptHarness>());
        Assert.Single(host.Services.GetServices<IScriptHarness>());
    }
}
