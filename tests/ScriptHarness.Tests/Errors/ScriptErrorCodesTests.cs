using System.Text.RegularExpressions;
using ScriptHarness.Engines;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Errors;

public sealed class ScriptErrorCodesTests
{
    public static TheoryData<ScriptErrorCode> Every => [.. Enum.GetValues<ScriptErrorCode>()];

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryCode_ReadsBackAsItself(ScriptErrorCode code)
    {
        Assert.True(ScriptErrorCodes.TryParse(code.ToCode(), out var back));
        Assert.Equal(code, back);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryCode_IsLowerSnakeCase(ScriptErrorCode code) =>
        Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", code.ToCode());

    [Fact]
    public void WireCodes_AreDistinctAndListedInDeclarationOrder()
    {
        var codes = Enum.GetValues<ScriptErrorCode>().Select(c => c.ToCode()).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(codes, ScriptErrorCodes.All);
    }

    [Fact]
    public void WireCodes_AreTheDocumentedOnes()
    {
        // Stable codes are a promise to every host and model prompt: renaming one must fail here first.
        Assert.Equal(
            [
                "syntax_error", "invalid_utf8", "script_too_large", "banned_identifier", "nested_block", "unclosed_block",
                "runtime_error", "timeout", "memory_limit", "recursion_limit", "cancelled", "tool_not_found",
                "tool_validation_failed", "tool_execution_failed", "tool_budget_exceeded", "concurrency_limit",
                "approval_denied", "approval_timeout", "detached_promise", "return_value_too_large",
                "serialization_failed", "harness_internal", "engine_crashed", "reply_limit_exceeded",
                "nesting_limit_exceeded", "state_unavailable", "state_value_too_large", "state_quota_exceeded",
                "state_store_failed", "replay_diverged", "resume_token_unknown", "approval_unavailable",
            ],
            ScriptErrorCodes.All);
    }

    [Fact]
    public void UnknownWireCode_DoesNotParse() => Assert.False(ScriptErrorCodes.TryParse("Timeout", out _));

    [Fact]
    public void UndefinedValue_HasNoWireCode()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ((ScriptErrorCode)999).ToCode());

        Assert.Equal("code", error.ParamName);
        Assert.StartsWith("not a ScriptErrorCode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptError_ReadsAsItsCodePositionAndMessage()
    {
        var error = new ScriptError(ScriptErrorCode.SyntaxError, "Unexpected token");

        Assert.Equal("syntax_error: Unexpected token", error.ToString());
        Assert.Equal("syntax_error (3:7): Unexpected token", (error with { Line = 3, Column = 7 }).ToString());
    }

    [Fact]
    public void EngineCrashed_IsRetryable()
    {
        // A crashed worker says nothing about the script: the next run gets a fresh worker.
        Assert.Equal("engine_crashed", ScriptErrorCode.EngineCrashed.ToCode());
        Assert.True(ScriptErrorCode.EngineCrashed.IsRetryable());
    }

    [Fact]
    public void EveryCodeTheJsPreludeReports_IsAWireCode()
    {
        // The prelude reports errors by wire name; an engine maps an unknown name to runtime_error, so a typo there
        // would silently change the code a script sees instead of failing.
        var literals = Regex.Matches(SandboxPrelude.Source, "'([a-z]+(?:_[a-z0-9]+)+)'").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("runtime_error", literals);
        Assert.All(literals, code => Assert.True(ScriptErrorCodes.TryParse(code, out _), code + " is not a wire code"));
    }

    [Fact]
    public void ConfigurationException_HasItsOwnCodeAndIsNotRetryable()
    {
        var ex = new ConfigurationException(["a", "b"]);
        Assert.Equal(ConfigurationException.ErrorCode, ex.Code);
        Assert.False(ScriptErrorCodes.TryParse(ex.Code, out _));
        Assert.False(ex.Retryable);
        Assert.Equal(["a", "b"], ex.Problems);
        Assert.Equal("Invalid ScriptHarness configuration: a; b", ex.Message);
    }

    [Fact]
    public void ConfigurationException_WithoutAList_HasNoProblems()
    {
        var ex = new ConfigurationException(null!);

        Assert.Empty(ex.Problems);
        Assert.Equal("Invalid ScriptHarness configuration: ", ex.Message);
    }
}
