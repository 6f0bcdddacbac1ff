namespace ScriptHarness.Tests.Errors;

/// <summary>"Did you mean": the distance, the nearness rule and the pick among several.</summary>
public sealed class NameSuggestionsTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("ab", "a", 1)]
    [InlineData("a", "ab", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Fetch", "fetcH", 0)]
    [InlineData("files.read", "files.write", 4)]
    public void Distance_IsLevenshteinIgnoringCase(string a, string b, int distance)
    {
        Assert.Equal(distance, NameSuggestions.Distance(a, b));
        Assert.Equal(distance, NameSuggestions.Distance(b, a));
    }

    [Theory]
    [InlineData("fetc", "fetch", true)] // short names: 2 apart at most
    [InlineData("fe", "fetch", false)]
    [InlineData("abcdefghij", "abcdefgxyz", true)] // ten characters: a third, 3 apart
    [InlineData("abcdefghij", "abcdefwxyz", false)]
    public void IsNear_AllowsAThirdOfTheLongerNameAtLeastTwo(string typed, string candidate, bool near)
    {
        Assert.Equal(near, NameSuggestions.IsNear(typed, candidate));
    }

    [Fact]
    public void Nearest_IsTheClosest_TiesInOrdinalOrder()
    {
        Assert.Equal("files.read", NameSuggestions.Nearest("files.reed", ["files.write", "files.read", "files.readAll"]));
        Assert.Equal("tool.b", NameSuggestions.Nearest("tool.x", ["tool.c", "tool.b", "tool.a2"]));
        Assert.Null(NameSuggestions.Nearest("zzz", ["files.read"]));
    }
}
