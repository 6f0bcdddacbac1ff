using System.Text.Json.Nodes;
using Jint.Native;
using Microsoft.Extensions.Logging;

namespace ScriptHarness.Engines.Jint;

/// <summary>What the script surface (<see cref="JintSurface"/>) needs from the run that owns it.</summary>
internal interface ISurfaceHost
{
    /// <summary>The names of the tools the script may call (<c>namespace.name</c>).</summary>
    IReadOnlyCollection<string> ToolNames { get; }

    /// <summary>The script's context as JSON (ids, mode, limits).</summary>
    JsonObject ContextJson { get; }

    /// <summary>Starts a tool call and returns its promise (never a rejection thrown synchronously).</summary>
    JsValue CallTool(string name, JsValue arguments);

    /// <summary>A console line, at the level of its method (<see cref="ScriptSurface.ConsoleMethods"/>).</summary>
    void Log(LogLevel level, string message);

    /// <summary>A progress message.</summary>
    void Progress(string message);
}
