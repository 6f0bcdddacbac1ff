using Microsoft.Extensions.Logging;

namespace ScriptHarness.Engines;

/// <summary>A method of the script's <c>console</c> (<see cref="ScriptSurface.ConsoleMethods"/>) and the level its lines are logged at.</summary>
/// <param name="Name">The method's name.</param>
/// <param name="Level">The level handed to <see cref="Runtime.IToolBridge.Log"/>.</param>
public sealed record ConsoleMethod(string Name, LogLevel Level);
