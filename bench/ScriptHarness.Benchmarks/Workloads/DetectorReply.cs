using System.Text;

namespace ScriptHarness.Benchmarks.Workloads;

/// <summary>
/// A long model reply for the detector: ASCII prose with inline code and a block about every 8 KB, alternating the
/// tag form and the fenced form, each block holding strings, a template and comments that mention the markers (so
/// the lexer's string/comment paths run). Deterministic: the same text on every run.
/// </summary>
internal static class DetectorReply
{
    public const int TenMegabytes = 10 * 1000 * 1000;

    private static readonly string[] Words =
    [
        "the", "model", "reads", "files", "then", "writes", "a", "short", "plan", "before", "calling", "tools", "with",
        "arguments", "`src/index.ts`", "and", "checks", "results", "carefully", "so", "that", "each", "step", "is", "clear",
    ];

    private const string TagBlock = """
        <tool-calls>
        // read two files; a "</tool-calls>" in a comment does not close the block
        const [a, b] = await Promise.all([tools.files.read({ path: "a.txt" }), tools.files.read({ path: "b.txt" })]);
        const note = 'a </tool-calls> inside a string';
        const t = `template ${a.content.length} </tool-calls>`;
        return { a: a.content.length, b: b.content.length, note, t };
        </tool-calls>
        """;

    private const string FencedBlock = """
        ```js tool-calls
        /* a ``` inside a comment */
        const files = await tools.files.list({ dir: "src" });
        return files.filter((f) => f.path.endsWith(".ts")).map((f) => f.path);
        ```
        """;

    /// <summary>Builds a reply of exactly <paramref name="length"/> characters (all ASCII, so also bytes).</summary>
    public static string Build(int length = TenMegabytes)
    {
        var sb = new StringBuilder(length + 1024);
        uint state = 12345;
        var blocks = 0;
        while (sb.Length < length)
        {
            var paragraphEnd = sb.Length + 8000;
            while (sb.Length < paragraphEnd)
            {
                state = (state * 1103515245) + 12345;
                sb.Append(Words[(int)((state >> 16) % (uint)Words.Length)]);
                sb.Append((state & 0x1F) == 0 ? ".\n" : " ");
            }

            sb.Append("\n\n").Append(blocks++ % 2 == 0 ? TagBlock : FencedBlock).Append("\n\n");
        }

        // Cut in prose after the last complete block so every block stays closed.
        var cut = length;
        var text = sb.ToString(0, cut);
        var lastOpen = Math.Max(text.LastIndexOf("<tool-calls>", StringComparison.Ordinal), text.LastIndexOf("```js tool-calls", StringComparison.Ordinal));
        var lastClose = Math.Max(text.LastIndexOf("\n</tool-calls>", StringComparison.Ordinal), text.LastIndexOf("\n```\n", StringComparison.Ordinal));
        if (lastOpen > lastClose)
        {
            text = string.Concat(text.AsSpan(0, lastOpen), new string('.', length - lastOpen));
        }

        return text;
    }

    /// <summary>Splits <paramref name="reply"/> into chunks of <paramref name="size"/> characters, as a stream would deliver them.</summary>
    public static string[] Chunks(string reply, int size)
    {
        var chunks = new string[(reply.Length + size - 1) / size];
        for (var i = 0; i < chunks.Length; i++)
        {
            var start = i * size;
            chunks[i] = reply.Substring(start, Math.Min(size, reply.Length - start));
        }

        return chunks;
    }

    /// <summary>The chunks as an async stream that completes synchronously, so only the detector is timed.</summary>
    public static async IAsyncEnumerable<string> Stream(string[] chunks)
    {
        await Task.CompletedTask;
        foreach (var chunk in chunks)
        {
            yield return chunk;
        }
    }
}
