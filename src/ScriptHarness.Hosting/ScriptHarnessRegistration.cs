using Microsoft.Extensions.Configuration;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;

namespace ScriptHarness.Hosting;

/// <summary>
/// What one <c>AddScriptHarness</c> call asked for. Every call registers one, and the harness is built from all of them
/// in registration order, so a second call adds to the first instead of being dropped (its approval policy above all).
/// </summary>
internal sealed class ScriptHarnessRegistration(IConfiguration? configuration, ScriptHarnessBuilder builder)
{
    public IConfiguration? Configuration { get; } = configuration;

    public ScriptHarnessBuilder Builder { get; } = builder;

    /// <summary><paramref name="options"/> changed by every call's <c>Configure</c>, in registration order.</summary>
    public static ScriptHarnessOptions Configure(IEnumerable<ScriptHarnessRegistration> registrations, ScriptHarnessOptions options) =>
        registrations.SelectMany(r => r.Builder.OptionTransforms).Aggregate(options, (o, f) => f(o));

    /// <summary>One policy out of every call's: a call needs approval when any of them says so; null when no call set one.</summary>
    public static ApprovalPolicy? ApprovalPolicy(IEnumerable<ScriptHarnessRegistration> registrations)
    {
        ApprovalPolicy[] policies = [.. registrations.Select(r => r.Builder.ApprovalPolicy).OfType<ApprovalPolicy>()];
        return policies.Length switch
        {
            0 => null,
            1 => policies[0],
            _ => (tool, arguments) => Array.Exists(policies, p => p(tool, arguments)),
        };
    }
}
