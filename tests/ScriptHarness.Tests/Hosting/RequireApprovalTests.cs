using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Serialization;
using ScriptHarness.Tests.Approvals;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Hosting;

public sealed class RequireApprovalTests
{
    [Fact]
    public async Task RequireApproval_TwoPolicies_RegisteredApproverIsAskedWhenEitherMatches()
    {
        using var broker = new ApprovalBroker();
        var services = new ServiceCollection()
            .AddSingleton<IApprovalService>(broker)
            .AddScriptHarness(configure: b => b
                .AddToolSet(new("t", [TestTools.Echo()]))
                .RequireApproval((_, args) => args is JsonObject o && o.ContainsKey("delete"))
                .RequireApproval((_, args) => args is JsonObject o && o.ContainsKey("drop")))
            .AddJintEngine();
        await using var provider = services.BuildServiceProvider();
        var host = ApprovalScripts.AnswerAsync(broker, 2, p => p.Deny("not in production"));

        var items = new List<ResponseItem>();
        await foreach (var item in provider.GetRequiredService<IScriptHarness>().RunAsync("""
            <tool-calls>
            const seen = [];
            for (const args of [{ read: 1 }, { delete: 1 }, { drop: 1 }]) {
              try { await tools.t.echo(args); seen.push('ran'); } catch (e) { seen.push(e.code); }
            }
            return seen;
            </tool-calls>
            """))
        {
            items.Add(item);
        }

        var outcome = Assert.IsType<ScriptResultItem>(Assert.Single(items, i => i is ScriptResultItem)).Outcome;
        Assert.Equal("""["ran","approval_denied","approval_denied"]""", outcome.Value!.ToJsonString());
        Assert.Equal(["t.echo", "t.echo"], (await host).Select(p => p.Tool));
    }

    [Fact]
    public void RequireApproval_NullPolicy_Throws()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => services.AddScriptHarness(configure: b => b.RequireApproval(null!)));
    }
}
