using ScriptHarness.Parsing;
using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class ScriptStackCleanerTests
{
    [Fact]
    public void Clean_KeepsScriptFramesInScriptCoordinates()
    {
        var raw = $"    at inner (script:2:26)\n    at outer (script:3:21)\n    at script (script:1:{ScriptWrapper.Prefix.Length + 10})\n    at prelude:1:22\n    at Jint.Engine.Call (/src/Engine.cs:10)";
        var (stack, line, column) = ScriptStackCleaner.Clean(raw);
        Assert.Equal("    at inner (2:26)\n    at outer (3:21)\n    at script (1:10)", stack);
        Assert.Equal(2, line);
        Assert.Equal(26, column);
    }

    [Fact]
    public void Clean_V8DocumentNames_AreScriptFrames()
    {
        var raw = $"TypeError: x\n    at inner (script [temp]:2:26)\n    at async outer (script [3] [temp]:3:21)\n    at script [temp]:1:{ScriptWrapper.Prefix.Length + 10}\n    at invoke (prelude [temp]:40:5)";
        var (stack, line, column) = ScriptStackCleaner.Clean(raw);
        Assert.Equal("    at inner (2:26)\n    at async outer (3:21)\n    at 1:10", stack);
        Assert.Equal(2, line);
        Assert.Equal(26, column);
    }

    [Fact]
    public void Clean_HidesTheWrapperHelpersFrames()
    {
        // A failed store(...) throws inside the helper on line 1, before the source starts: only the script's frame shows.
        var raw = $"Error: over quota\n    at store (script:1:{ScriptWrapper.Prefix.Length - 40})\n    at async $script (script:4:7)\n    at $run (script:1:{ScriptWrapper.Prefix.Length - 30})";
        var (stack, line, column) = ScriptStackCleaner.Clean(raw);
        Assert.Equal("    at 4:7", stack);
        Assert.Equal(4, line);
        Assert.Equal(7, column);
    }

    [Fact]
    public void Clean_CapsAtTenFrames()
    {
        var raw = string.Join('\n', Enumerable.Range(1, 50).Select(i => $"    at f{i} (script:{i}:1)"));
        var (stack, _, _) = ScriptStackCleaner.Clean(raw);
        Assert.Equal(ScriptStackCleaner.MaxFrames, stack!.Split('\n').Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("at System.Threading.Tasks.Task.Run() in /home/build/x.cs:line 3")]
    public void Clean_NoScriptFrames_GivesNoStack(string? raw)
    {
        Assert.Equal((null, null, null), ScriptStackCleaner.Clean(raw));
    }

    [Fact]
    public void Clean_TheScriptsOwnFunction_ShowsItsPositionOnly()
    {
        var (stack, line, column) = ScriptStackCleaner.Clean("    at $script (script:3:4)\n    at async $script (script:5:6)\n    at async helper (script:7:8)");
        Assert.Equal("    at 3:4\n    at 5:6\n    at async helper (7:8)", stack);
        Assert.Equal((3, 4), (line, column));
    }

    [Fact]
    public void Clean_ALongFunctionName_IsCutAt80Characters()
    {
        var name80 = new string('n', 80);
        var (stack, _, _) = ScriptStackCleaner.Clean($"    at {name80}tail (script:2:3)\n    at {name80} (script:4:5)");
        Assert.Equal($"    at {name80} (2:3)\n    at {name80} (4:5)", stack);
    }

    [Fact]
    public void Clean_ExactlyTenFrames_KeepsThemAll_AndTheFirstGivesThePosition()
    {
        var raw = string.Join('\n', Enumerable.Range(1, 11).Select(i => $"    at f{i} (script:{i + 1}:{i + 2})"));
        var (ten, _, _) = ScriptStackCleaner.Clean(string.Join('\n', raw.Split('\n').Take(10)));
        var (eleven, line, column) = ScriptStackCleaner.Clean(raw);

        Assert.Equal(10, ten!.Split('\n').Length);
        Assert.Equal(ten, eleven);
        Assert.EndsWith("    at f10 (11:12)", eleven);
        Assert.Equal((2, 3), (line, column));
    }

    [Theory]
    [InlineData("    at f (script:12345678901:1)")]
    [InlineData("    at f (script:1:12345678901)")]
    [InlineData("    at f (prelude:2:3)")]
    [InlineData("    at f (myscript.js:2:3)x")]
    public void Clean_PositionsPastNineDigitsOrOtherSources_AreNoFrames(string raw)
    {
        Assert.Equal((null, null, null), ScriptStackCleaner.Clean(raw));
    }
}
