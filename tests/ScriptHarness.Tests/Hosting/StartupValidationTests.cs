using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.Hosting;

/// <summary>
/// Configuration is checked when the host starts: one <see cref="ConfigurationException"/> (code
/// <c>invalid_configuration</c>) lists every problem — bad values, values that do not convert, unknown engines, keys
/// that are near misses of known ones — instead of a stack trace at the first resolve.
/// </summary>
public sealed class StartupValidationTests
{
    private static IHost Build(Action<IServiceCollection>? more, params (string Key, string Value)[] settings)
    {
        var builder = TestHosts.Builder(settings);
        builder.Services.AddScriptHarness(builder.Configuration.GetSection("ScriptHarness")).AddJintEngine();
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    private static async Task<ConfigurationException> StartFailsAsync(IHost host)
    {
        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());
        Assert.Equal("invalid_configuration", ex.Code);
        Assert.False(ex.Retryable);
        return ex;
    }

    [Fact]
    public async Task StartAsync_ThreeBadSettings_OneExceptionListingEveryProblem()
    {
        using var host = Build(null,
            ("ScriptHarness:Engine", "quickjs"), ("ScriptHarness:MaxParallelScripts", "0"), ("ScriptHarness:Limits:Timeout", "banana"));

        var ex = await StartFailsAsync(host);

        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("'quickjs'", StringComparison.Ordinal) && p.Contains("jint, v8", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("MaxParallelScripts", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("ScriptHarness:Limits:Timeout", StringComparison.Ordinal) && p.Contains("'banana'", StringComparison.Ordinal));
        Assert.DoesNotContain("yantra", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartAsync_EnvironmentVariablesAsInTheIssue_FailWithEveryProblem()
    {
        // The issue's exact settings, as environment variables; a prefix of this test's own keeps other tests unaffected.
        const string Prefix = "SHTEST_STARTUP_";
        (string Name, string Value)[] variables =
        [
            (Prefix + "ScriptHarness__Engine", "quickjs"), (Prefix + "ScriptHarness__MaxParallelScripts", "0"),
            (Prefix + "ScriptHarness__Timeout", "banana"),
        ];
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var builder = TestHosts.Builder();
            builder.Configuration.AddEnvironmentVariables(Prefix);
            builder.Services.AddScriptHarness(builder.Configuration.GetSection("ScriptHarness")).AddJintEngine();
            using var host = builder.Build();

            var ex = await StartFailsAsync(host);

            Assert.Equal(3, ex.Problems.Count);
            Assert.Contains(ex.Problems, p => p.Contains("ScriptHarness:Timeout", StringComparison.Ordinal)
                && p.Contains("did you mean ScriptHarness:Limits:Timeout", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var (name, _) in variables)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task StartAsync_KeysNearKnownOnes_AreErrorsWithDidYouMean()
    {
        using var host = Build(null, ("ScriptHarness:MaxParalelScripts", "2"), ("ScriptHarness:Limits:MaxToolCall", "3"), ("ScriptHarness:limit:timeout", "00:00:05"));

        var ex = await StartFailsAsync(host);

        Assert.Equal(
            [
                "ScriptHarness:limit:timeout is not a ScriptHarness setting; did you mean ScriptHarness:Limits:Timeout?",
                "ScriptHarness:Limits:MaxToolCall is not a ScriptHarness setting; did you mean ScriptHarness:Limits:MaxToolCalls?",
                "ScriptHarness:MaxParalelScripts is not a ScriptHarness setting; did you mean ScriptHarness:MaxParallelScripts?",
            ],
            ex.Problems.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task StartAsync_KeyFarFromEveryKnownOne_IsLoggedAsAWarningAndTheHostStarts()
    {
        var logs = new RecordingLoggerProvider();
        using var host = Build(s => s.AddLogging(l => l.AddProvider(logs)), ("ScriptHarness:Colour", "blue"), ("ScriptHarness:MaxToolCallsPerReply", "9"));

        await host.StartAsync();
        try
        {
            Assert.Equal(9, host.Services.GetRequiredService<HarnessPipeline>().Options.MaxToolCallsPerReply);
            var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
            Assert.Contains("ScriptHarness:Colour", warning.Message, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task StartAsync_ValidSettings_StartAndBind()
    {
        using var host = Build(null,
            ("ScriptHarness:Engine", "JINT"), ("ScriptHarness:Mode", "dryrun"), ("ScriptHarness:limits:timeout", "00:00:10"), ("ScriptHarness:Isolation", "inprocess"));

        await host.StartAsync();
        try
        {
            var options = host.Services.GetRequiredService<HarnessPipeline>().Options;
            Assert.Equal(ToolMode.DryRun, options.Mode);
            Assert.Equal(TimeSpan.FromSeconds(10), options.Limits.Timeout);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task StartAsync_KnownEngineNotRegistered_SaysHowToRegisterIt()
    {
        using var host = Build(null, ("ScriptHarness:Engine", "v8"), ("ScriptHarness:Isolation", "InProcess"));

        var ex = await StartFailsAsync(host);

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("AddV8Engine()", problem, StringComparison.Ordinal);
        Assert.Contains("ScriptHarness.Engines.V8", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_EngineNameTypo_SuggestsTheEngine()
    {
        using var host = Build(null, ("ScriptHarness:Engine", "jnit"));

        var problem = Assert.Single((await StartFailsAsync(host)).Problems);

        Assert.Contains("did you mean jint?", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_V8WithoutProcessIsolation_IsReportedWithTheOtherProblems()
    {
        using var host = Build(s => s.AddV8Engine(), ("ScriptHarness:Engine", "v8"), ("ScriptHarness:MaxBlocksPerReply", "0"));

        var ex = await StartFailsAsync(host);

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("AddProcessIsolation()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ConfigureInCodeBreaksTheOptions_IsReportedAtStart()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddScriptHarness(configure: h => h.Configure(o => o with { MaxReplyTime = TimeSpan.Zero })).AddJintEngine();
        using var host = builder.Build();

        Assert.StartsWith("MaxReplyTime", Assert.Single((await StartFailsAsync(host)).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SameToolInTwoCalls_IsReportedAtStart()
    {
        var tool = new ToolDefinition("t.echo", "echo", new JsonObject { ["type"] = "object" }, (a, _, _) => ValueTask.FromResult(a));
        var builder = TestHosts.Builder();
        builder.Services.AddScriptHarness(configure: h => h.AddTool(tool)).AddJintEngine();
        builder.Services.AddScriptHarness(configure: h => h.AddToolSet(new("t", [tool])));
        using var host = builder.Build();

        Assert.Contains("t.echo", Assert.Single((await StartFailsAsync(host)).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WithoutAHost_ThrowsTheSameException()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine"] = "quickjs", ["MaxParallelScripts"] = "0", ["Limits:Timeout"] = "banana",
        }).Build();
        using var provider = new ServiceCollection().AddScriptHarness(configuration).AddJintEngine().BuildServiceProvider();

        var ex = Assert.Throws<ConfigurationException>(() => provider.GetRequiredService<IScriptHarness>());

        Assert.Equal("invalid_configuration", ex.Code);
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("Limits:Timeout: 'banana' is not a time span", StringComparison.Ordinal));
    }

    [Fact]
    public void KnownEngines_AreJintAndV8()
    {
        Assert.Equal(["jint", "v8"], KnownEngines.All.Select(e => e.Name));
        Assert.Equal(KnownEngines.Jint, new ScriptHarness.Engines.Jint.JintEngineFactory().Name);
        Assert.Equal(KnownEngines.Jint, new ScriptHarnessOptions().Engine);
    }
}
