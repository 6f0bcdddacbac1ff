using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.TestSupport;

/// <summary>Real generic hosts, built the way the README tells a host developer to, with the settings given in memory.</summary>
internal static class TestHosts
{
    /// <summary>A host application builder with no default sources (no appsettings, environment or console logger), then <paramref name="settings"/>.</summary>
    public static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    /// <summary>Runs <paramref name="reply"/> and returns the outcome of its one script.</summary>
    public static async Task<ScriptOutcome> RunOneAsync(IScriptHarness harness, string reply)
    {
        var items = new List<ResponseItem>();
        await foreach (var item in harness.RunAsync(reply))
        {
            items.Add(item);
        }

        return Assert.IsType<ScriptResultItem>(Assert.Single(items, i => i is ScriptResultItem)).Outcome;
    }
}

/// <summary>An approver that writes down every request and denies it.</summary>
internal sealed class RecordingApprovalService : IApprovalService
{
    private readonly ConcurrentQueue<ApprovalRequest> _requests = new();

    public IReadOnlyList<ApprovalRequest> Requests => [.. _requests];

    public ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(request);
        return ValueTask.FromResult(ApprovalDecision.Deny("recorded and denied"));
    }
}
