using System.Diagnostics;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Tests.Tools.BuiltIn;

/// <summary>
/// Regression (issue 17): a FIFO in the workspace blocked files.read and files.search in open() past every time limit.
/// Special files are refused or skipped without being opened.
/// </summary>
public sealed class FilesSpecialFileTests : IDisposable
{
    // Generous: the refusal takes microseconds; only a call blocked in open() comes near it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private ToolSet CreateSut() => FilesToolSet.Create(_workspace.Root);

    [SkippableFact]
    public async Task Read_Fifo_IsRefusedWithoutOpeningIt()
    {
        var fifo = MakeFifo("pipe");

        var error = await Assert.ThrowsAsync<ToolException>(() => WithoutBlocking(fifo, () => CreateSut().InvokeAsync("files.read", """{ "path": "pipe" }""")));

        Assert.Equal(ScriptErrorCode.ToolExecutionFailed, error.Error.Code);
        Assert.Contains("'pipe' is not a regular file", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Search_WorkspaceWithAFifo_SkipsItAndSearchesTheRest()
    {
        var fifo = MakeFifo("a-pipe");
        _workspace.Write("b.txt", "needle here\n");

        var result = await WithoutBlocking(fifo, () => CreateSut().InvokeAsync("files.search", """{ "query": "needle" }"""));

        Assert.Equal("""[{"path":"b.txt","line":1,"text":"needle here"}]""", result!.ToJsonString());
    }

    [SkippableFact]
    public async Task Write_OntoAFifo_IsRefusedWithoutOpeningIt()
    {
        var fifo = MakeFifo("out");

        var error = await Assert.ThrowsAsync<ToolException>(() => WithoutBlocking(fifo, () => CreateSut().InvokeAsync("files.write", """{ "path": "out", "content": "x" }""")));

        Assert.Contains("'out' is not a regular file", error.Message, StringComparison.Ordinal);
    }

    private string MakeFifo(string name)
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows has no FIFOs in a directory tree");
        var path = _workspace.Path(name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    // Runs the call off the test thread (open() blocks synchronously) and fails it if it does not end in time; a call
    // stuck in open() is released by opening the FIFO's other end.
    private static async Task<T> WithoutBlocking<T>(string fifo, Func<ValueTask<T>> call)
    {
        var running = Task.Run(async () => await call());
        try
        {
            return await running.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            using var release = File.Open(fifo, FileMode.Open, FileAccess.ReadWrite);
            throw new Xunit.Sdk.XunitException($"the call was still blocked after {Bound.TotalSeconds} s");
        }
    }
}
