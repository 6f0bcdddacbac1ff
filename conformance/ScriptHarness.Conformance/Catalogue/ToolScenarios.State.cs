using ScriptHarness.Conformance.Tools;
using ScriptHarness.Pipeline;
using ScriptHarness.State;
using static ScriptHarness.Conformance.Catalogue.Scenarios;

namespace ScriptHarness.Conformance.Catalogue;

/// <content>
/// State across blocks and replies (<c>store</c>/<c>load</c>, kept by the harness per conversation, size-capped) and
/// tool discovery inside code (<c>tools.$search</c>, <c>tools.$describe</c>): the wrapper's helpers, on every engine.
/// </content>
internal static partial class ToolScenarios
{
    private static readonly ScriptHarnessOptions DurableApprovals = new() { DurableApprovals = true };

    private static readonly ScriptHarnessOptions SmallState = new() { State = new ScriptStateOptions { MaxValueBytes = 64, MaxConversationBytes = 160 } };

    private static IEnumerable<ConformanceScenario> State() =>
    [
        Script("TOOL-080", "a value stored is loaded back as JSON in the same block; a missing key loads as null",
            "await store('plan', { step: 1, items: ['a', 'b'] });\nreturn [await load('plan'), await load('nothing')];",
            Expect.Returns("""[{"step":1,"items":["a","b"]},null]""")),
        new ConformanceScenario
        {
            Id = "TOOL-081",
            Title = "a block that loads waits for the earlier block of its reply that stores, so state flows in reply order",
            Reply = "<tool-calls>\nawait tools.test.sleep({ ms: 50 });\nawait store('n', 41);\nreturn 'stored';\n</tool-calls>\n<tool-calls>\nreturn (await load('n')) + 1;\n</tool-calls>",
            Expect = Expect.Returns("42"),
            Tools = [ConformanceToolSet.Sleep],
        },
        new ConformanceScenario
        {
            Id = "TOOL-082",
            Title = "state stored in one reply is loaded in the next reply of the conversation",
            Script = "await store('seen', ['turn 1']);\nreturn 'ok';",
            FollowUps = ["const seen = await load('seen');\nseen.push('turn 2');\nawait store('seen', seen);\nreturn await load('seen');"],
            Expect = Expect.Returns("""["turn 1","turn 2"]"""),
        },
        Script("TOOL-083", "store(key, undefined) removes the key; loaded values are the script's own copies",
            "await store('a', { n: 1 });\nconst a = await load('a');\na.n = 2;\nconst again = await load('a');\nawait store('a', undefined);\nreturn [again.n, await load('a')];",
            Expect.Returns("[1,null]")),
        new ConformanceScenario
        {
            Id = "TOOL-084",
            Title = "a value over the size cap fails with state_value_too_large and one past the conversation's quota with state_quota_exceeded, storing nothing",
            Script = "const codes = [];\ntry { await store('big', 'x'.repeat(100)); } catch (e) { codes.push(e.code); }\n"
                + "await store('a', 'y'.repeat(50));\ntry { await store('b', 'z'.repeat(50)); codes.push('stored'); await store('c', 'w'.repeat(50)); } catch (e) { codes.push(e.code); }\n"
                + "return [codes, await load('big'), await load('c'), (await load('a')).length];",
            Harness = SmallState,
            Expect = Expect.Returns("""[["state_value_too_large","stored","state_quota_exceeded"],null,null,50]"""),
        },
        Script("TOOL-085", "store and load refuse a key that is not a string with tool_validation_failed",
            "const codes = [];\nfor (const k of [1, null, '']) { try { await store(k, 1); codes.push('stored'); } catch (e) { codes.push(e.code); } }\nreturn codes;",
            Expect.Returns("""["tool_validation_failed","tool_validation_failed","tool_validation_failed"]""")),
        Script("TOOL-086", "tools.$search ranks tools by the words of the query and tools.$describe gives one tool's declaration",
            "const found = await tools.$search('echo arguments');\nconst d = await tools.$describe(found[0].name);\n"
            + "let missing;\ntry { await tools.$describe('test.nope'); } catch (e) { missing = e.code; }\n"
            + "return [found[0].name, typeof found[0].description, d.includes('echo(args'), missing, (await tools.$search('zzzz')).length];",
            Expect.Returns("""["test.echo","string",true,"tool_not_found",0]"""),
            ConformanceToolSet.Echo, ConformanceToolSet.Counter),
        Script("TOOL-087", "the helpers leave the tools surface as it was and the script may shadow them",
            "const keys = Object.keys(tools);\nconst t = await tools;\n{ const store = 'mine'; var shadowed = store; }\n"
            + "return [keys, t === tools, typeof tools.$search, typeof tools.test.echo, shadowed, typeof load];",
            Expect.Returns("""[["test"],true,"function","function","mine","function"]"""),
            ConformanceToolSet.Echo),
        new ConformanceScenario
        {
            Id = "TOOL-088",
            Title = "durable approvals: a call needing approval suspends the block; resumed approved, logged calls are answered from the log and the approved call runs once",
            Script = "const a = await tools.conf.record({ step: 1 });\nconst g = await tools.conf.guarded({});\nconst b = await tools.conf.record({ step: 2 });\nreturn [a.n, g.done, b.n];",
            Harness = DurableApprovals,
            Resumes = [true],
            Expect = Expect.Returns("[1,true,2]").And("no handler ran twice", o => Expect.That(
                o.Probe.HandlerRuns(ConformanceToolSet.Record) == 2 && o.Probe.HandlerRuns(ConformanceToolSet.Guarded) == 1,
                $"record ran {o.Probe.HandlerRuns(ConformanceToolSet.Record)}, guarded {o.Probe.HandlerRuns(ConformanceToolSet.Guarded)} times")),
            Tools = [ConformanceToolSet.Record, ConformanceToolSet.Guarded],
        },
        new ConformanceScenario
        {
            Id = "TOOL-089",
            Title = "durable approvals: resumed denied, the waiting call fails with approval_denied and the script goes on",
            Script = "try { await tools.conf.guarded({}); return 'ran'; } catch (e) { return e.code; }",
            Harness = DurableApprovals,
            Resumes = [false],
            Expect = Expect.Returns("\"approval_denied\"").And("the handler did not run", o => Expect.That(o.Probe.HandlerRuns(ConformanceToolSet.Guarded) == 0, "it ran")),
            Tools = [ConformanceToolSet.Guarded],
        },
        new ConformanceScenario
        {
            Id = "TOOL-090",
            Title = "durable approvals: Date.now, new Date() and Math.random replay the first run's values, so the resumed block does not diverge",
            Script = "const t = Date.now(), d = new Date().getTime(), r = [Math.random(), Math.random()];\nawait tools.conf.record({ t, r });\n"
                + "await tools.conf.guarded({});\nreturn [t === d, Date.now() === t, r[0] !== r[1], r.every(x => x >= 0 && x < 1)];",
            Harness = DurableApprovals,
            Resumes = [true],
            Expect = Expect.Returns("[true,true,true,true]"),
            Tools = [ConformanceToolSet.Record, ConformanceToolSet.Guarded],
        },
        new ConformanceScenario
        {
            Id = "TOOL-091",
            Title = "durable approvals: a block that needs two approvals suspends twice, each time with a new token, and ends once both are given",
            Script = "const a = await tools.conf.guarded({ n: 1 });\nconst b = await tools.conf.record({});\nconst c = await tools.conf.guarded({ n: 2 });\nreturn [a.done, b.n, c.done];",
            Harness = DurableApprovals,
            Resumes = [true, true],
            Expect = Expect.Returns("[true,1,true]").And("each handler ran once per call", o => Expect.That(
                o.Probe.HandlerRuns(ConformanceToolSet.Guarded) == 2 && o.Probe.HandlerRuns(ConformanceToolSet.Record) == 1,
                $"guarded ran {o.Probe.HandlerRuns(ConformanceToolSet.Guarded)}, record {o.Probe.HandlerRuns(ConformanceToolSet.Record)} times")),
            Tools = [ConformanceToolSet.Record, ConformanceToolSet.Guarded],
        },
    ];
}
