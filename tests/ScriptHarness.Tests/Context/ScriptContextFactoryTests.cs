using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Context;

public sealed class ScriptContextFactoryTests
{
    [Fact]
    public void Create_SanitizesIdsAndNumbersTheScript()
    {
        var context = ScriptContextFactory.Create(new RunIdentity("conv<script>", "sess 1", "turn-7"), 3, ToolMode.DryRun, ScriptLimits.Default);
        Assert.Equal("conv_script_", context.ConversationId);
        Assert.Equal("sess_1", context.SessionId);
        Assert.Equal("turn-7/s3", context.ScriptId);
        Assert.Equal(ToolMode.DryRun, context.Mode);
    }

    [Fact]
    public void Sanitize_LongId_IsCutTo128()
    {
        Assert.Equal(128, ScriptContextFactory.Sanitize(new string('a', 500)).Length);
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData("", "unknown")]
    [InlineData("ok-id_1.2:3/4@x", "ok-id_1.2:3/4@x")]
    [InlineData("a\nb\"c", "a_b_c")]
    public void Sanitize_MapsUnsafeCharacters(string? id, string expected)
    {
        Assert.Equal(expected, ScriptContextFactory.Sanitize(id));
    }

    [Fact]
    public void ToScriptJson_HoldsIdsModeAndLimitsOnly()
    {
        var limits = ScriptLimits.Default with { MaxToolCalls = 5, Timeout = TimeSpan.FromSeconds(2) };
        var json = ScriptContextFactory.Create(new RunIdentity("c", "s", "t"), 0, ToolMode.Enabled, limits).ToScriptJson();
        Assert.Equal(["conversationId", "sessionId", "turnId", "scriptId", "mode", "limits"], json.Select(p => p.Key));
        Assert.Equal(5, json["limits"]!["maxToolCalls"]!.GetValue<int>());
        Assert.Equal(2000, json["limits"]!["timeoutMs"]!.GetValue<long>());
    }

    [Fact]
    public void ToScriptJson_NamesEveryLimitTheScriptMayRead()
    {
        var limits = ScriptLimits.Default with
        {
            MemoryBytes = 3 * 1024 * 1024, MaxRecursionDepth = 77, MaxConcurrentToolCalls = 3, MaxReturnValueBytes = 4096,
        };
        var json = ScriptContextFactory.Create(new RunIdentity("c", "s", "t"), 0, ToolMode.Enabled, limits).ToScriptJson();
        var read = json["limits"]!.AsObject();
        Assert.Equal(["timeoutMs", "memoryBytes", "maxRecursionDepth", "maxToolCalls", "maxConcurrentToolCalls", "maxReturnValueBytes"], read.Select(p => p.Key));
        Assert.Equal(3L * 1024 * 1024, read["memoryBytes"]!.GetValue<long>());
        Assert.Equal(77, read["maxRecursionDepth"]!.GetValue<int>());
        Assert.Equal(3, read["maxConcurrentToolCalls"]!.GetValue<int>());
        Assert.Equal(4096, read["maxReturnValueBytes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(ToolMode.Enabled, "enabled")]
    [InlineData(ToolMode.DryRun, "dry-run")]
    [InlineData(ToolMode.Disabled, "disabled")]
    public void ToScriptJson_SpellsTheModeAsScriptsSeeIt(ToolMode mode, string expected)
    {
        var json = ScriptContextFactory.Create(new RunIdentity("c", "s", "t"), 0, mode, ScriptLimits.Default).ToScriptJson();
        Assert.Equal(expected, json["mode"]!.GetValue<string>());
    }

    [Fact]
    public void NewAdHoc_GivesPrefixedIdsSharingOneFreshPart()
    {
        var a = RunIdentity.NewAdHoc();
        var b = RunIdentity.NewAdHoc();
        Assert.StartsWith("conv-", a.ConversationId, StringComparison.Ordinal);
        Assert.Equal("sess-" + a.ConversationId["conv-".Length..], a.SessionId);
        Assert.Equal("turn-1", a.TurnId);
        Assert.Equal(17, a.ConversationId.Length);
        Assert.NotEqual(a.ConversationId, b.ConversationId);
    }
}
