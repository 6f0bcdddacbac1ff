using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Tools;

namespace ScriptHarness.Hosting;

/// <summary>Configures the harness registered by <c>AddScriptHarness</c>: tools, and options set in code.</summary>
public sealed class ScriptHarnessBuilder
{
    internal ScriptHarnessBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    internal List<Func<ScriptHarnessOptions, ScriptHarnessOptions>> OptionTransforms { get; } = [];

    internal ApprovalPolicy? ApprovalPolicy { get; private set; }

    /// <summary>Adds every tool of <paramref name="toolSet"/>.</summary>
    public ScriptHarnessBuilder AddToolSet(ToolSet toolSet)
    {
        ArgumentNullException.ThrowIfNull(toolSet);
        Services.AddSingleton(toolSet);
        return this;
    }

    /// <summary>Adds one tool.</summary>
    public ScriptHarnessBuilder AddTool(ToolDefinition tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        Services.AddSingleton(tool);
        return this;
    }

    /// <summary>Changes the options in code, after configuration binding (options are immutable: return a new value).</summary>
    public ScriptHarnessBuilder Configure(Func<ScriptHarnessOptions, ScriptHarnessOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        OptionTransforms.Add(configure);
        return this;
    }

    /// <summary>
    /// Also asks for approval of calls to tools that do not require it themselves, when <paramref name="policy"/> says so
    /// for the tool's name and arguments. Called more than once, a call needs approval when any policy says so.
    /// </summary>
    public ScriptHarnessBuilder RequireApproval(ApprovalPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var earlier = ApprovalPolicy;
        ApprovalPolicy = earlier is null ? policy : (tool, arguments) => earlier(tool, arguments) || policy(tool, arguments);
        return this;
    }
}
