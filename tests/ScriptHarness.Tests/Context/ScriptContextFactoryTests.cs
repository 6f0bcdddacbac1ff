using ScriptHarness.Context;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Context;

public sealed class ScriptContextFactoryTests
{
    [Fact]
    public void Create_SanitizesIdsAndNumbersTheScript()
    {
        var context = ScriptContextFactory.Create(new RunIdentity("conv<script>", "sess-1", "turn-7"), 3, ToolMode.DryRun, ScriptLimits.Default);
        Assert.Equal(ScriptContextFactory.Sanitize("conv<script>"), context.ConversationId);
        Assert.StartsWith("sha256:", context.ConversationId, StringComparison.Ordinal);
        Assert.Equal("sess-1", context.SessionId);
        Assert.Equal("turn-7/s3", context.ScriptId);
        Assert.Equal(ToolMode.DryRun, context.Mode);
    }

    [Theory]
    [InlineData("ok-id_1.2:3/4@x")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef")]
    public void Sanitize_KeepsASafeId(string id) => Assert.Equal(id, ScriptContextFactory.Sanitize(id));

    [Theory]
    [InlineData(null, "unknown")]
    // SHA-256 of the UTF-8 text, its first 16 bytes.
    [InlineData("", "sha256:e3b0c44298fc1c149afbf4c8996fb924")]
    [InlineData("a\nb\"c", "sha256:784e6310dba87d38e76e8b3270038567")]
    public void Sanitize_HashesAnIdOutsideTheSafeAlphabet(string? id, string expected) =>
        Assert.Equal(expected, ScriptContextFactory.Sanitize(id));

    [Theory]
    [InlineData("anna b", "anna_b")]
    [InlineData("jos\u00e9", "jos\u00e8")]
    [InlineData("sha256:0123456789abcdef0123456789abcdeF", "sha256:0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:x", "sha256:y")]
    public void Sanitize_KeepsDifferentIdsDifferent(string a, string b)
    {
        Assert.NotEqual(ScriptContextFactory.Sanitize(a), ScriptContextFactory.Sanitize(b));
        Assert.NotEqual(a, ScriptContextFactory.Sanitize(a));
    }

    [Fact]
    public void Sanitize_LongIds_WithOneStart_StayDifferent_AndWithinTheLimit()
    {
        var start = new string('a', 128);

        var (one, other) = (ScriptContextFactory.Sanitize(start + "1"), ScriptContextFactory.Sanitize(start + "2"));

        Assert.NotEqual(one, other);
        Assert.True(one.Length <= 128);
        Assert.Equal(start, ScriptContextFactory.Sanitize(start));
    }

    [Theory]
    [InlineData("conv<script>")]
    [InlineData("ok")]
    [InlineData("")]
    public void Sanitize_TwiceIsOnce(string id)
    {
        // A suspended block's record keeps the sanitized identity, and its resume sanitizes it again.
        var once = ScriptContextFactory.Sanitize(id);
        Assert.Equal(once, ScriptContextFactory.Sanitize(once));
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
