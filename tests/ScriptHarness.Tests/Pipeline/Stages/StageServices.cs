using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScriptHarness.Approvals;
using ScriptHarness.Pipeline;
using ScriptHarness.Runtime;
using ScriptHarness.Tests.TestSupport;

namespace ScriptHarness.Tests.Pipeline.Stages;

/// <summary>The harness services a stage is built on, over the test tools and a fake engine unless one is given.</summary>
internal static class StageServices
{
    public static HarnessServices Create(ScriptHarnessOptions? options = null, IScriptEngineFactory? engine = null, ILogger? logger = null) =>
        new(options ?? new ScriptHarnessOptions(), engine ?? new FakeScriptEngine(), TestTools.Registry(), FixedApprovalService.ApproveAll,
            logger ?? NullLogger.Instance, TimeProvider.System);
}
