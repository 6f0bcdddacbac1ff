using Acornima;
using FsCheck.Xunit;
using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>
/// Properties of the detector over generated input: chunking never changes what is found, and the lexer agrees with
/// Acornima (the parser the harness validates scripts with) on where code ends and literals and comments begin.
/// </summary>
[Properties(Arbitrary = new[] { typeof(DetectionArbitraries) }, MaxTest = 300)]
public sealed class DetectionProperties
{
    private static readonly string[] LiteralKinds = ["StringLiteral", "Template", "RegExpLiteral"];

    [Property]
    public bool AnyChunkingOfAReply_GivesTheSegmentsOfTheWholeReply(ChunkedReply reply) =>
        ToolCallDetector.Detect(reply.Reply).SequenceEqual(Segments.Scan(reply.Chunks()));

    /// <summary>
    /// Acornima parses the generated script and every marker in it lies inside a string, template, regular expression or
    /// comment token; the detector must then find exactly one block whose source is the whole script, however the reply
    /// is chunked.
    /// </summary>
    [Property]
    public void AnyValidScript_IsOneBlockWhereverAcornimaSeesItsMarkersInsideLiteralsOrComments(GeneratedJavaScript script)
    {
        var literals = AcornimaLiteralsAndComments(script.Code);
        foreach (var marker in new[] { "</tool-calls>", "<tool-calls>", "```" })
        {
            for (var at = script.Code.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = script.Code.IndexOf(marker, at + 1, StringComparison.Ordinal))
            {
                Assert.True(literals.Any(r => r.Start <= at && at + marker.Length <= r.End), $"the generator put {marker} in code at {at}: {script}");
            }
        }

        var source = "\n" + script.Code;
        var reply = "Before.\n<tool-calls>" + source + "</tool-calls>\nAfter.";
        string[] expected = ["T:Before.\n", "S(Tag):" + source, "T:\nAfter."];

        Assert.Equal(expected, Segments.Shape(ToolCallDetector.Detect(reply)));
        Assert.Equal(expected, Segments.Shape(Segments.Scan(reply.Select(c => c.ToString()))));
    }

    // The ranges Acornima reads as strings, templates, regular expressions and comments (HTML-like ones included).
    private static List<(int Start, int End)> AcornimaLiteralsAndComments(string code)
    {
        var ranges = new List<(int Start, int End)>();
        var options = new ParserOptions
        {
            AllowReturnOutsideFunction = true,
            AllowAwaitOutsideFunction = true,
            OnToken = (in Token token) =>
            {
                if (LiteralKinds.Contains(token.Kind.ToString()))
                {
                    ranges.Add((token.Start, token.End));
                }
            },
            OnComment = (in Comment comment) => ranges.Add((comment.Start, comment.End)),
        };

        // Throws (failing the property with the script) when the generator made invalid JavaScript.
        new Parser(options).ParseScript(code);
        return ranges;
    }
}
