using System.Text.Json.Nodes;
using ScriptHarness.Approvals;

namespace ScriptHarness.Tests.Approvals;

public sealed class ApprovalSanitizerTests
{
    private static string Sanitized(string json, ApprovalSanitizerOptions? options = null) =>
        ApprovalSanitizer.Sanitize(JsonNode.Parse(json), options)!.ToJsonString();

    private static JsonNode Sanitize(string json, ApprovalSanitizerOptions? options = null) =>
        ApprovalSanitizer.Sanitize(JsonNode.Parse(json), options)!;

    [Fact]
    public void Sanitize_NestedSecretsInObjectsInsideArrays_AreRedactedAtAnyDepth()
    {
        var result = Sanitize("""
            {"path":"a.txt","apiKey":"sk-live-123","headers":{"Authorization":"Bearer abc","accept":"json"},
             "targets":[{"name":"db","db_password":"hunter2","nested":[{"ClientSecret":"s","refresh_token":{"value":"t"}}]}],
             "CREDENTIALS":["x","y"]}
            """);

        Assert.Equal("a.txt", (string?)result["path"]);
        Assert.Equal("[redacted]", (string?)result["apiKey"]);
        Assert.Equal("[redacted]", (string?)result["headers"]!["Authorization"]);
        Assert.Equal("json", (string?)result["headers"]!["accept"]);
        Assert.Equal("db", (string?)result["targets"]![0]!["name"]);
        Assert.Equal("[redacted]", (string?)result["targets"]![0]!["db_password"]);
        Assert.Equal("[redacted]", (string?)result["targets"]![0]!["nested"]![0]!["ClientSecret"]);
        Assert.Equal("[redacted]", (string?)result["targets"]![0]!["nested"]![0]!["refresh_token"]);
        Assert.Equal("[redacted]", (string?)result["CREDENTIALS"]);
        Assert.DoesNotContain("sk-live", result.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("userSecret")]
    [InlineData("TOKEN")]
    [InlineData("ssh_key")]
    [InlineData("oauth")]
    [InlineData("credential")]
    public void Sanitize_SensitiveKeys_MatchAsCaseInsensitiveSubstrings(string key) =>
        Assert.Equal($$"""{"{{key}}":"[redacted]"}""", Sanitized($$"""{"{{key}}":"v"}"""));

    [Fact]
    public void Sanitize_SecretsInStringValues_AreNotGuessedAt() =>
        Assert.Equal("""{"path":"password.txt"}""", Sanitized("""{"path":"password.txt"}"""));

    [Fact]
    public void Sanitize_LongString_KeepsTheLimitAndSaysHowMuchWasCut()
    {
        var result = (string?)Sanitize($$"""{"content":"{{new string('a', 250)}}"}""")["content"];
        Assert.Equal(new string('a', 200) + "…(50 more characters)", result);
    }

    [Fact]
    public void Sanitize_StringAtTheLimit_IsKept()
    {
        var text = new string('b', 200);
        Assert.Equal(text, (string?)Sanitize($$"""{"s":"{{text}}"}""")["s"]);
    }

    [Fact]
    public void Sanitize_CutThroughASurrogatePair_KeepsTheWholeCharacter()
    {
        var options = new ApprovalSanitizerOptions { MaxStringLength = 3 };
        var result = (string?)ApprovalSanitizer.Sanitize(JsonValue.Create("ab😀cd"), options);
        Assert.Equal("ab…(4 more characters)", result);
    }

    [Fact]
    public void Sanitize_LongArray_KeepsTenItemsAndOneSummaryItem()
    {
        var result = Sanitize($"[{string.Join(",", Enumerable.Range(1, 25))}]").AsArray();
        Assert.Equal(11, result.Count);
        Assert.Equal(Enumerable.Range(1, 10), result.Take(10).Select(n => n!.GetValue<int>()));
        Assert.Equal("…(15 more items)", (string?)result[10]);
    }

    [Fact]
    public void Sanitize_ArrayAtTheLimit_IsKept() =>
        Assert.Equal("[1,2,3,4,5,6,7,8,9,10]", Sanitized("[1,2,3,4,5,6,7,8,9,10]"));

    [Fact]
    public void Sanitize_ManyProperties_KeepsTheFirstAndSaysHowManyWereLeftOut()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"p{i}\":{i}")) + "}";
        var result = Sanitize(json).AsObject();
        Assert.Equal(51, result.Count);
        Assert.Equal(49, (int)result["p49"]!);
        Assert.Equal("(10 more properties)", (string?)result["…"]);
    }

    [Fact]
    public void Sanitize_DeeperThanEightLevels_IsCut()
    {
        // Levels 1 to 8 are shown; the object at level 9 becomes "[…]".
        var json = string.Concat(Enumerable.Repeat("{\"a\":", 9)) + "1" + new string('}', 9);
        var expected = string.Concat(Enumerable.Repeat("{\"a\":", 8)) + "\"[…]\"" + new string('}', 8);
        Assert.Equal(expected, Sanitized(json).Replace("\\u2026", "…", StringComparison.Ordinal));

        var eight = string.Concat(Enumerable.Repeat("[", 8)) + "1" + new string(']', 8);
        Assert.Equal(eight, Sanitized(eight));
    }

    [Fact]
    public void Sanitize_LongKeys_AreCutAndStayDistinct()
    {
        var options = new ApprovalSanitizerOptions { MaxStringLength = 4 };
        var result = ApprovalSanitizer.Sanitize(JsonNode.Parse("""{"abcdXY":1,"abcdZW":2}"""), options)!.AsObject();
        Assert.Equal(["abcd…(2 more characters)", "abcd…(2 more characters) (2)"], result.Select(p => p.Key));
        Assert.Equal([1, 2], result.Select(p => (int)p.Value!));
    }

    [Fact]
    public void Sanitize_ArraysDeeperThanEightLevels_AreCutToo()
    {
        var nine = string.Concat(Enumerable.Repeat("[", 9)) + "1" + new string(']', 9);
        var expected = string.Concat(Enumerable.Repeat("[", 8)) + "\"[…]\"" + new string(']', 8);

        Assert.Equal(expected, Sanitized(nine).Replace("\\u2026", "…", StringComparison.Ordinal));
    }

    [Fact]
    public void Sanitize_ThreeKeysCutToTheSameText_AreNumberedOnwards()
    {
        var options = new ApprovalSanitizerOptions { MaxStringLength = 4 };
        var result = ApprovalSanitizer.Sanitize(JsonNode.Parse("""{"abcdXY":1,"abcdZW":2,"abcdUV":3}"""), options)!.AsObject();

        Assert.Equal(["abcd…(2 more characters)", "abcd…(2 more characters) (2)", "abcd…(2 more characters) (3)"], result.Select(p => p.Key));
    }

    [Fact]
    public void Sanitize_ReturnsACopyAndLeavesTheArgumentsAlone()
    {
        var original = JsonNode.Parse("""{"token":"t","list":[1,2,3,4,5,6,7,8,9,10,11],"n":1.5,"ok":true,"none":null}""");
        var before = original!.ToJsonString();

        var copy = ApprovalSanitizer.Sanitize(original)!;
        Assert.Equal(1.5, (double)copy["n"]!);
        Assert.True((bool)copy["ok"]!);
        Assert.Null(copy["none"]);
        copy["n"] = 2;
        copy["list"]!.AsArray().Add(12);

        Assert.Equal(before, original.ToJsonString());
    }

    [Fact]
    public void Sanitize_Null_IsNull() => Assert.Null(ApprovalSanitizer.Sanitize(null));

    [Fact]
    public void Sanitize_CustomOptions_AreApplied()
    {
        var options = new ApprovalSanitizerOptions { MaxArrayItems = 2, SensitiveKeyFragments = ["pin"] };
        Assert.Equal("""{"pin":"[redacted]","token":"visible","a":[1,2,"…(1 more items)"]}""",
            Sanitized("""{"pin":1234,"token":"visible","a":[1,2,3]}""", options).Replace("\\u2026", "…", StringComparison.Ordinal));
    }

    [Fact]
    public void Sanitize_InvalidOptions_ReportsEveryProblem()
    {
        var options = new ApprovalSanitizerOptions { MaxStringLength = 0, MaxDepth = 0, SensitiveKeyFragments = [""] };
        var ex = Assert.Throws<ConfigurationException>(() => ApprovalSanitizer.Sanitize(new JsonObject(), options));
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains("MaxStringLength", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDepth", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SensitiveKeyFragments", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AtTheirLowestValidValues_HaveNoProblems()
    {
        var options = new ApprovalSanitizerOptions { MaxStringLength = 1, MaxArrayItems = 0, MaxProperties = 0, MaxDepth = 1, SensitiveKeyFragments = [] };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Options_OneBelowEachBound_NameEveryProblem()
    {
        var options = new ApprovalSanitizerOptions
        {
            MaxStringLength = 0,
            MaxArrayItems = -1,
            MaxProperties = -1,
            MaxDepth = 0,
            SensitiveKeyFragments = ["pin", ""],
        };

        Assert.Equal(
            [
                "ApprovalSanitizerOptions.MaxStringLength must be at least 1",
                "ApprovalSanitizerOptions.MaxArrayItems must not be negative",
                "ApprovalSanitizerOptions.MaxProperties must not be negative",
                "ApprovalSanitizerOptions.MaxDepth must be at least 1",
                "ApprovalSanitizerOptions.SensitiveKeyFragments must not be null or contain null or empty fragments (an empty one would redact everything)",
            ],
            options.Validate());
        Assert.Equal(
            ["ApprovalSanitizerOptions.SensitiveKeyFragments must not be null or contain null or empty fragments (an empty one would redact everything)"],
            new ApprovalSanitizerOptions { SensitiveKeyFragments = null! }.Validate());
    }
}
