using ScriptHarness.Conformance.Tools;
using static ScriptHarness.Conformance.Catalogue.Scenarios;
using static ScriptHarness.ScriptErrorCode;

namespace ScriptHarness.Conformance.Catalogue;

/// <summary>
/// <c>APPR-</c>: tool calls that need a person's approval. Approved calls run; denied ones reject with a catchable
/// <c>approval_denied</c> and their handler never runs; with no approver configured, every such call is denied.
/// </summary>
internal static class ApprovalScenarios
{
    public static IEnumerable<ConformanceScenario> All() =>
    [
        Script("APPR-001", "an approved call runs its handler",
            "return await tools.conf.guarded({ action: 'deploy' });",
            Expect.Returns("""{"done":true}""").And("the handler ran once", o => HandlerRuns(o, 1)), ConformanceToolSet.Guarded) with { Approvals = ScenarioApprover.ApproveAll },
        Script("APPR-002", "a denied call rejects with a catchable approval_denied carrying the reason",
            "try { await tools.conf.guarded({}); return 'ran'; } catch (e) { return [e.code, e.message.includes('the reviewer said no')]; }",
            Expect.Returns("""["approval_denied",true]""").And("the handler never ran", o => HandlerRuns(o, 0)), ConformanceToolSet.Guarded) with { Approvals = ScenarioApprover.DenyAll },
        Script("APPR-003", "an uncaught denial ends the script with approval_denied",
            $"console.log('{Expect.Marker}');\nawait tools.conf.guarded({{}});\nreturn 'ran';",
            Expect.Fails(ApprovalDenied).And("the handler never ran", o => HandlerRuns(o, 0)), ConformanceToolSet.Guarded) with { Approvals = ScenarioApprover.DenyAll },
        Script("APPR-004", "with no approver configured the call is denied, saying so",
            $"console.log('{Expect.Marker}');\nawait tools.conf.guarded({{}});\nreturn 'ran';",
            Expect.Fails(ApprovalDenied).And("the message says no approver is configured, the handler never ran", o =>
                Expect.That(o.Final.Error!.Message.Contains("no approver", StringComparison.Ordinal), o.Final.Error.Message) ?? HandlerRuns(o, 0)),
            ConformanceToolSet.Guarded),
        Script("APPR-005", "a denial does not stop other tools",
            "let denied;\ntry { await tools.conf.guarded({}); } catch (e) { denied = e.code; }\nreturn [denied, (await tools.test.echo({ next: 1 })).next];",
            Expect.Returns("""["approval_denied",1]"""), ConformanceToolSet.Guarded, ConformanceToolSet.Echo) with { Approvals = ScenarioApprover.DenyAll },
        Script("APPR-006", "several approved calls in Promise.all each run once",
            "const rs = await Promise.all([1, 2, 3].map(i => tools.conf.guarded({ i })));\nreturn rs.map(r => r.done);",
            Expect.Returns("[true,true,true]").And("3 handler runs", o => HandlerRuns(o, 3)), ConformanceToolSet.Guarded) with { Approvals = ScenarioApprover.ApproveAll },
        Script("APPR-007", "dry-run asks no one and runs no handler, even with no approver",
            "const r = await tools.conf.guarded({});\nreturn [r.dryRun, r.tool];",
            Expect.Returns("""[true,"conf.guarded"]""").And("the handler never ran", o => HandlerRuns(o, 0)), ConformanceToolSet.Guarded) with { Mode = ToolMode.DryRun },
        Script("APPR-008", "arguments are validated before anyone is asked",
            "try { await tools.conf.guarded(42); return 'asked'; } catch (e) { return e.code; }",
            Expect.Returns("\"tool_validation_failed\"").And("the handler never ran", o => HandlerRuns(o, 0)), ConformanceToolSet.Guarded) with { Approvals = ScenarioApprover.ApproveAll },
    ];

    private static string? HandlerRuns(ConformanceObservation o, int expected)
    {
        var runs = o.Probe.HandlerRuns(ConformanceToolSet.Guarded);
        return Expect.That(runs == expected, $"the guarded handler ran {runs} time(s), expected {expected}");
    }
}
