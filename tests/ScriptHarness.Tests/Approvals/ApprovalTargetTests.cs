using ScriptHarness.Approvals;
using ScriptHarness.Tests.Tools.BuiltIn;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Approvals;

/// <summary>
/// Regression (issue 17): the prompt showed a write's path cut at 200 characters and unresolved, so
/// <c>docs/./././…/../.git/hooks/pre-commit</c> was approved as "docs/…". The request now carries where the write
/// really lands, in full, and says why it deserves a second look.
/// </summary>
public sealed class ApprovalTargetTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task<ApprovalRequest> AskForAsync(string path)
    {
        var approver = new RecordingApprover();
        var registry = new ToolRegistry(FilesToolSet.Create(_workspace.Root).Tools);
        var (outcome, _) = await ApprovalScripts.RunAsync($"return await tools.files.write({{ path: {path}, content: 'x' }});", approver, registry: registry);
        Assert.Equal("approval_denied", outcome.Error?.WireCode);
        return Assert.Single(approver.Requests);
    }

    [Fact]
    public async Task Write_PathPaddedWithDotSegmentsIntoGitHooks_ShowsTheResolvedPathInFullAndFlagsIt()
    {
        _workspace.CreateDirectory(".git/hooks").CreateDirectory("docs");

        var request = await AskForAsync("'docs/' + './'.repeat(300) + '../.git/hooks/pre-commit'");

        Assert.Equal(".git/hooks/pre-commit", request.Target!.Path);
        Assert.Contains("writes into the dot-directory '.git'", request.Target.Warnings);
        Assert.Contains("writes to an executable location (under '.git/hooks')", request.Target.Warnings);
        Assert.Contains("…(", request.Arguments!["path"]!.GetValue<string>(), StringComparison.Ordinal); // the arguments are still cut
    }

    [Theory]
    [InlineData("'notes/todo.md'", "notes/todo.md")]
    [InlineData("'a/b/../c.txt'", "a/c.txt")]
    public async Task Write_OrdinaryPath_ShowsItWithoutWarnings(string path, string expected)
    {
        var request = await AskForAsync(path);

        Assert.Equal(new ApprovalTarget(expected, []).Path, request.Target!.Path);
        Assert.Empty(request.Target.Warnings);
    }

    [Theory]
    [InlineData("'.env'", "writes a dotfile")]
    [InlineData("'scripts/deploy.sh'", "writes to an executable location (a script or program)")]
    [InlineData("'.github/workflows/ci.yml'", "writes to an executable location (under '.github/workflows')")]
    [InlineData("'tools/bin/run'", "writes to an executable location (under 'bin')")]
    public async Task Write_RiskyPlace_IsFlagged(string path, string warning)
    {
        var request = await AskForAsync(path);

        Assert.Contains(warning, request.Target!.Warnings);
    }

    [SkippableFact]
    public async Task Write_ThroughASymbolicLink_ShowsWhereItReallyLands()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        _workspace.CreateDirectory(".git/hooks");
        Directory.CreateSymbolicLink(_workspace.Path("docs"), _workspace.Path(".git/hooks"));

        var request = await AskForAsync("'docs/pre-commit'");

        Assert.Equal(".git/hooks/pre-commit", request.Target!.Path);
        Assert.Contains(request.Target.Warnings, w => w.Contains("symbolic link", StringComparison.Ordinal));
    }

    private sealed class RecordingApprover : IApprovalService
    {
        public List<ApprovalRequest> Requests { get; } = [];

        public ValueTask<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return ValueTask.FromResult(ApprovalDecision.Deny("test"));
        }
    }
}
