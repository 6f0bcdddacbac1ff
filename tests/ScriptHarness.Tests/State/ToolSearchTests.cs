using System.Text.Json.Nodes;
using ScriptHarness.State;
using ScriptHarness.Tools;

namespace ScriptHarness.Tests.State;

// The ranking behind tools.$search, scored exactly: a name word counts three times a description word, a whole
// word twice a prefix, and a prefix needs three characters.
public sealed class ToolSearchTests
{
    private static ToolDefinition Tool(string name, string description) =>
        new(name, description, new JsonObject { ["type"] = "object" }, (_, _, _) => ValueTask.FromResult<JsonNode?>(null));

    private static List<(string Name, int Score)> Rank(string query, params ToolDefinition[] tools) =>
        [.. ToolSearch.Rank(new ToolRegistry(tools), query).Select(x => (x.Tool.Name, x.Score))];

    [Fact]
    public void ANameWord_CountsThreeTimesADescriptionWord()
    {
        var ranked = Rank("alpha", Tool("x.alpha", "Unrelated."), Tool("x.beta", "An alpha thing."), Tool("x.gamma", "Nothing."));

        Assert.Equal([("x.alpha", 6), ("x.beta", 2)], ranked);
    }

    [Fact]
    public void Ties_AreOrderedByName()
    {
        var ranked = Rank("report", Tool("x.b", "A report."), Tool("x.c", "A report."), Tool("x.a", "A report."));

        Assert.Equal(["x.a", "x.b", "x.c"], ranked.Select(r => r.Name));
    }

    [Fact]
    public void HigherScores_ComeFirst_WhateverTheirNames()
    {
        var ranked = Rank("mail send", Tool("a.other", "Send a mail."), Tool("z.mail", "Send it."));

        Assert.Equal([("z.mail", 8), ("a.other", 4)], ranked);
    }

    [Theory]
    [InlineData("inv", 3)] // a prefix of three characters counts once (in the name: 3)
    [InlineData("invoice", 6)] // the whole word counts twice (in the name: 6)
    [InlineData("in", 0)] // two characters are too short to be a prefix
    [InlineData("invoices", 0)] // longer than the word: no match
    public void Prefixes_NeedThreeCharacters_AndCountLessThanWholeWords(string query, int score)
    {
        var ranked = Rank(query, Tool("billing.invoice", "Bills."));

        Assert.Equal(score, ranked.SingleOrDefault().Score);
    }

    [Fact]
    public void AWholeWord_BeatsAPrefixOfAnEarlierWord()
    {
        // "invoice" is a prefix of "invoices" before it is the whole word "invoice": the best match counts.
        Assert.Equal(2, Rank("invoice", Tool("x.y", "invoices and invoice")).Single().Score);
    }

    [Theory]
    [InlineData("create", 6)]
    [InlineData("invoice", 6)]
    [InlineData("createinvoice", 6)]
    public void CamelCaseNames_MatchEachPart(string query, int score)
    {
        Assert.Equal(score, Rank(query, Tool("crm.createInvoice", "Makes one.")).Single().Score);
    }

    [Fact]
    public void Acronyms_StayOneWordWithWhatFollows()
    {
        // getHTTPStatus splits into get + httpstatus: an upper-case letter after another one starts no new part.
        var tool = Tool("web.getHTTPStatus", "Asks a server.");

        Assert.Equal(6, Rank("get", tool).Single().Score);
        Assert.Equal(6, Rank("httpstatus", tool).Single().Score);
        Assert.Equal(3, Rank("http", tool).Single().Score);
        Assert.Empty(Rank("status", tool));
    }

    [Fact]
    public void ANameWithOneUpperCaseLetterAtTheEnd_SplitsThere()
    {
        Assert.Equal(6, Rank("x", Tool("n.makeX", "Makes one.")).Single().Score);
    }

    [Fact]
    public void EveryTermOfTheQuery_AddsItsScore_OnceEach()
    {
        // "mail mail" is one term (name 6 + description 2); "send mail" two (send: name 6 + "sends" prefix 1).
        var tool = Tool("mail.send", "Sends a mail.");

        Assert.Equal(8, Rank("mail mail", tool).Single().Score);
        Assert.Equal(15, Rank("send mail", tool).Single().Score);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ,;  ")]
    public void AQueryWithoutWords_FindsNothing(string query)
    {
        Assert.Empty(Rank(query, Tool("x.a", "A.")));
    }

    [Fact]
    public void OneLine_IsTheFirstLine_Trimmed()
    {
        Assert.Equal("First line.", ToolSearch.OneLine("  First line.\r\nSecond line."));
        Assert.Equal("First.", ToolSearch.OneLine("First.\nSecond."));
        Assert.Equal("Only.", ToolSearch.OneLine("Only."));
    }

    [Fact]
    public void OneLine_CutsAt160Characters()
    {
        var exact = new string('a', 160);
        var longer = new string('b', 161);

        Assert.Equal(exact, ToolSearch.OneLine(exact));
        Assert.Equal(new string('b', 159) + "…", ToolSearch.OneLine(longer));
    }
}
