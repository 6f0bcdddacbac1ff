using System.Text.Json.Nodes;
using ScriptHarness.Approvals;

namespace ScriptHarness.Cli.Tests;

/// <summary>The <c>--approve ask</c> prompt, driven through readers and writers: a real run would need a terminal.</summary>
public sealed class ConsoleApprovalServiceTests
{
    private static async Task<(ApprovalDecision Decision, string Prompt)> AskAsync(string? answer, JsonNode? arguments)
    {
        using var input = new StringReader(answer is null ? string.Empty : answer + "\n");
        using var prompt = new StringWriter();
        using var sut = new ConsoleApprovalService(input, prompt);
        var decision = await sut.RequestAsync(new ApprovalRequest("turn-1/s0#1", "files.write", arguments, "turn-1/s0"), CancellationToken.None);
        return (decision, prompt.ToString());
    }

    [Theory]
    [InlineData("y")]
    [InlineData(" YES ")]
    public async Task Request_Yes_Approves(string answer) =>
        Assert.True((await AskAsync(answer, new JsonObject())).Decision.Approved);

    [Theory]
    [InlineData("n")]
    [InlineData("")]
    [InlineData("sure")]
    public async Task Request_AnythingElse_Denies(string answer)
    {
        var (decision, _) = await AskAsync(answer, new JsonObject());
        Assert.False(decision.Approved);
        Assert.Equal("denied at the terminal", decision.Reason);
    }

    [Fact]
    public async Task Request_EndOfInput_DeniesSayingSo()
    {
        var (decision, _) = await AskAsync(null, new JsonObject());
        Assert.False(decision.Approved);
        Assert.Contains("end of input", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_Prompt_ShowsToolScriptAndSanitizedArguments()
    {
        var args = JsonNode.Parse($$"""{"path":"notes.txt","auth":{"apiKey":"sk-live-123"},"content":"{{new string('x', 500)}}"}""");

        var (_, prompt) = await AskAsync("n", args);

        Assert.Contains("Approve files.write from turn-1/s0?", prompt, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"notes.txt\"", prompt, StringComparison.Ordinal);
        Assert.Contains("\"auth\":\"[redacted]\"", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 300), prompt, StringComparison.Ordinal);
        Assert.Contains("more characters)", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_AlreadySanitizedArguments_AreShownUnchanged()
    {
        var sanitized = ApprovalSanitizer.Sanitize(JsonNode.Parse($$"""{"content":"{{new string('x', 250)}}","items":[{{string.Join(",", Enumerable.Range(0, 30))}}]}"""));

        var (_, prompt) = await AskAsync("n", sanitized);

        Assert.Contains("…(50 more characters)", prompt, StringComparison.Ordinal);
        Assert.Contains("…(20 more items)", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ControlAndBidiCharacters_AreEscapedNotPrinted()
    {
        var (_, prompt) = await AskAsync("n", new JsonObject { ["path"] = "a\u001b[2Kb\u202Ec\u2028d" });

        Assert.DoesNotContain('\u001b', prompt);
        Assert.DoesNotContain('\u202E', prompt);
        Assert.DoesNotContain('\u2028', prompt);
        Assert.Contains("a\\u001B[2Kb\\u202Ec\\u2028d", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithATarget_ShowsItInFullBeforeTheArgumentsWithItsWarnings()
    {
        var longPath = "docs/" + string.Concat(Enumerable.Repeat("./", 300)) + "../.git/hooks/pre-commit";
        using var input = new StringReader("n\n");
        using var prompt = new StringWriter();
        using var sut = new ConsoleApprovalService(input, prompt);
        var request = new ApprovalRequest("turn-1/s0#1", "files.write", ApprovalSanitizer.Sanitize(new JsonObject { ["path"] = longPath }), "turn-1/s0")
        {
            Target = new ApprovalTarget(".git/hooks/pre-commit", ["writes into the dot-directory '.git'", "writes to an executable location (under '.git/hooks')"]),
        };

        await sut.RequestAsync(request, CancellationToken.None);

        var lines = prompt.ToString().Split(Environment.NewLine);
        Assert.Equal("  target: .git/hooks/pre-commit", lines[1]);
        Assert.Equal("  ! writes into the dot-directory '.git'", lines[2]);
        Assert.Equal("  ! writes to an executable location (under '.git/hooks')", lines[3]);
        Assert.StartsWith("  arguments: ", lines[4], StringComparison.Ordinal);
    }
}
