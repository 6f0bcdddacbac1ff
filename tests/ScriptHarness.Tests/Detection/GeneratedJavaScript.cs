using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ScriptHarness.Tests.Detection;

/// <summary>
/// A generated script body: statements of the kinds the detector's lexer must tell apart — strings, templates with
/// substitutions, line, block and HTML-like comments, regular expressions after operators, keywords and control
/// heads, and divisions after values — each literal or comment carrying text that would end or open a block, or
/// open another literal, if the lexer took it for code.
/// </summary>
public sealed record GeneratedJavaScript(string Code)
{
    /// <summary>What literals and comments hold: markers, quotes, comment and template openers.</summary>
    private static readonly string[] Payloads =
        ["</tool-calls>", "<tool-calls>", "`", "'", "\"", "/*", "*/", "//", "${", "}", "{", "<!--", "-->", "```js tool-calls", "```", "\\", "/", "x"];

    public override string ToString() => Code.Replace("\n", "⏎", StringComparison.Ordinal);

    /// <summary>FsCheck's generator of scripts, 1 to 12 statements.</summary>
    public static Gen<GeneratedJavaScript> Generator { get; } =
        Gen.Choose(1, 12).SelectMany(n => Statement.ArrayOf(n)).Select(statements => new GeneratedJavaScript(string.Concat(statements)));

    private static Gen<string> Payload { get; } =
        Gen.Elements(Payloads).ArrayOf().Select(parts => string.Concat(parts.Take(4)));

    private static Gen<string> Statement { get; } = Gen.OneOf(
        Payload.Select(p => $"s = '{Quoted(p, '\'')}';\n"),
        Payload.Select(p => $"s = \"{Quoted(p, '"')}\";\n"),
        Payload.Select(p => $"s = `{TemplateText(p)}`;\n"),
        Gen.Zip(Payload, Payload).Select(t => $"s = `a{TemplateText(t.Item1)}${{ '{Quoted(t.Item2, '\'')}' + `{TemplateText(t.Item1)}` }}b`;\n"),
        Payload.Select(p => $"// {p}\n"),
        Payload.Select(p => $"/* {p.Replace("*/", "* /", StringComparison.Ordinal)} */ s = 1;\n"),
        Payload.Select(p => $"s = 1; <!-- {p}\n"),
        Payload.Select(p => $"s = 2;\n--> {p}\n"),
        Gen.Zip(Payload, Gen.Elements("if (ok)", "while (n-- > 5)", "for (const x of xs)", "if (a && (b || c))", "with (o)"))
            .Select(t => $"{t.Item2} /{RegexBody(t.Item1)}/g.test(s);\n"),
        Gen.Zip(Payload, Gen.Elements("return", "typeof", "s = ", "s = [", "s = (", "f(1,", "s = !", "s = ok ?", "s = a &&", "s = x ||"))
            .Select(t => $"{t.Item2} /{RegexBody(t.Item1)}/.source{Closer(t.Item2)};\n"),
        // A division taken for a regex would end at the quoted '/', and the backtick after it would open a template.
        Gen.Elements("(a + b)", "f(x)", "a[0]", "n.return", "n.typeof", "a++", "a--", "10", "`x`", "'a'", "x.y")
            .Select(value => $"s = {value} / 2 + '/' + '`';\n"),
        Gen.Constant("while (n-->0) n = n / 2 + '/' + '`';\n"));

    // A statement after `return` may not start a new line in the return's expression; brackets opened are closed.
    private static string Closer(string head) => head switch
    {
        "s = [" => "]",
        "s = (" or "f(1," => ")",
        "s = ok ?" => " : 0",
        _ => string.Empty,
    };

    private static string Quoted(string text, char quote) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(quote.ToString(), "\\" + quote, StringComparison.Ordinal);

    private static string TemplateText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal).Replace("${", "$\\{", StringComparison.Ordinal);

    // Every regex metacharacter escaped, so the body is any payload text matched literally.
    private static string RegexBody(string text)
    {
        var body = new StringBuilder();
        foreach (var c in text)
        {
            if ("/\\[]()*+?.^$|{}".Contains(c, StringComparison.Ordinal))
            {
                body.Append('\\');
            }

            body.Append(c);
        }

        return body.Length == 0 ? "x" : body.ToString();
    }
}

/// <summary>The FsCheck arbitraries of the detection properties.</summary>
public static class DetectionArbitraries
{
    public static Arbitrary<GeneratedJavaScript> Scripts() => GeneratedJavaScript.Generator.ToArbitrary();

    public static Arbitrary<ChunkedReply> Replies() => ChunkedReply.Generator.ToArbitrary();
}

/// <summary>A reply of prose and blocks (tags and fences, generated scripts, corpus replies) and a way to cut it into chunks.</summary>
public sealed record ChunkedReply(string Reply, int[] ChunkSizes)
{
    public override string ToString() => $"{Reply.Replace("\n", "⏎", StringComparison.Ordinal)} in chunks of [{string.Join(",", ChunkSizes)}]";

    /// <summary>The reply cut by <see cref="ChunkSizes"/> (sizes cycle; 0 makes an empty chunk), the rest as one last chunk.</summary>
    public IEnumerable<string> Chunks()
    {
        var at = 0;
        for (var i = 0; at < Reply.Length && ChunkSizes.Length > 0; i++)
        {
            var size = Math.Min(ChunkSizes[i % ChunkSizes.Length], Reply.Length - at);
            yield return Reply.Substring(at, size);
            at += size;
            if (i > 4 * Reply.Length + 16)
            {
                break; // only zero sizes: stop making empty chunks
            }
        }

        yield return Reply[at..];
    }

    public static Gen<ChunkedReply> Generator { get; } = Gen.Zip(
            Gen.OneOf(
                    Gen.Elements("Let me look.\n", "prose with </tool-calls> in it\n", "`code` and ``` in prose\n", "a < b and c > d\n", ""),
                    GeneratedJavaScript.Generator.Select(s => $"<tool-calls>\n{s.Code}</tool-calls>\n"),
                    GeneratedJavaScript.Generator.Select(s => $"```js tool-calls\n{s.Code}```\n"),
                    Gen.Elements(ReplyCorpus.Replies))
                .ArrayOf()
                .Select(parts => string.Concat(parts.Take(6))),
            Gen.Choose(0, 9).ArrayOf())
        .Select(t => new ChunkedReply(t.Item1, t.Item2));
}
