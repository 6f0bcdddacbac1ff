namespace ScriptHarness.Tests.Detection;

/// <summary>Replies that exercise every marker, literal and recovery rule; shared by the property tests.</summary>
internal static class ReplyCorpus
{
    public static readonly string[] Replies =
    [
        "",
        "plain prose only",
        "Let me look.\n<tool-calls>return 1;</tool-calls>\nDone.",
        "<tool-calls>a()</tool-calls>\n\n<tool-calls>b()</tool-calls>",
        "<tool-calls></tool-calls><tool-calls>x</tool-calls>",
        "Plan:\n```js tool-calls\nconst x = 1;\nreturn x;\n```\nAfter.",
        "```typescript  tool-calls \r\nreturn 1;\r\n```  \r\nBye\r\n",
        "```javascript tool-calls\nreturn `\n```\n`;\n```",
        "```python\nprint('<b>')\n```\n<tool-calls>return '</tool-calls>' + \"</tool-calls>\"</tool-calls> end",
        "<tool-calls>return `a ${`</tool-calls>`} ${ {a:1}.a } b`;</tool-calls>tail",
        "<tool-calls>// </tool-calls>\n/* </tool-calls> */ return 'it\\'s';</tool-calls>",
        "<tool-calls>const q = /\"/; const r = a / b / c; return x => /'/.test(x);</tool-calls>!",
        "<tool-calls>return \"a\\\r\n</tool-calls>\" + $`$`;</tool-calls>",
        "A\n<tool-calls>x();\n  <tool-calls>y();</tool-calls>\nB\n<tool-calls>z()</tool-calls>",
        "<tool-calls>a <tool-calls>b</tool-calls> c</tool-calls>",
        "Done.\nAll </tool-calls> good. </tool-calls></tool-calls>",
        "```js tool-calls\na()\n```js tool-calls\nb()\n```\nafter\n```ts tool-calls\nc()\n```",
        "intro <tool-calls>return 1;",
        "intro\n```js tool-calls",
        "see <tool-cal",
        "trailing </tool-ca",
        "x\n``",
        "```js tool-calls\nreturn 1 /* * ** */ / 2\n```",
        "<tool-calls>if (a < b) return '<'; return a <tool-callsx</tool-calls>",
        "unicode ✓ café\n<tool-calls>return \"😀 </tool-calls>\";</tool-calls> 😀",
        "<tool-calls>return /[</tool-calls>]/.source</tool-calls>",
        "<tool-calls>s = 'x\\\\'; t = \"</tool-calls>\"</tool-calls>",
        "```js tool-calls\n<tool-calls>\nb()\n```\n<tool-calls>c()</tool-calls>\n```ts tool-calls\nopen",
    ];

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Replies.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }
}
