using ScriptHarness.Detection;

namespace ScriptHarness.Tests.Detection;

/// <summary>Helpers that make segment lists easy to assert on.</summary>
internal static class Segments
{
    /// <summary>A compact picture of each segment: <c>T:prose</c>, <c>S(Tag):source</c>, <c>M(nested_block):raw</c>.</summary>
    public static string[] Shape(IEnumerable<ReplySegment> segments) => segments.Select(Shape).ToArray();

    public static string Shape(ReplySegment segment) => segment switch
    {
        TextSegment t => "T:" + t.Text,
        ScriptSegment s => $"S({s.Form}):{s.Source}",
        MalformedSegment m => $"M({m.Error.WireCode}):{m.Raw}",
        _ => throw new InvalidOperationException("unknown segment " + segment),
    };

    /// <summary>Detects through the scanner, feeding <paramref name="chunks"/> one by one.</summary>
    public static List<ReplySegment> Scan(IEnumerable<string> chunks)
    {
        var scanner = new ToolCallScanner();
        var emitted = new List<ReplySegment>();
        foreach (var chunk in chunks)
        {
            scanner.Append(chunk, emitted);
        }

        scanner.Complete(emitted);
        return emitted;
    }

    /// <summary>Asserts the segments tile the reply and that every field agrees with the reply's text.</summary>
    public static void AssertTiles(string reply, IReadOnlyList<ReplySegment> segments)
    {
        var rebuilt = new System.Text.StringBuilder();
        var offset = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            Assert.Equal(i, segment.Index);
            Assert.Equal(offset, segment.Start);
            Assert.True(segment.Length > 0, $"segment {i} is empty");
            var slice = reply.Substring(segment.Start, segment.Length);
            rebuilt.Append(slice);
            offset += segment.Length;
            switch (segment)
            {
                case TextSegment t:
                    Assert.Equal(slice, t.Text);
                    break;
                case ScriptSegment s:
                    Assert.Equal(s.Source, reply.Substring(s.SourceStart, s.Source.Length));
                    Assert.InRange(s.SourceStart, s.Start, s.Start + s.Length);
                    Assert.InRange(s.SourceStart + s.Source.Length, s.SourceStart, s.Start + s.Length);
                    break;
                case MalformedSegment m:
                    Assert.Equal(slice, m.Raw);
                    break;
            }
        }

        Assert.Equal(reply, rebuilt.ToString());
    }
}
