namespace ScriptHarness.Engines;

/// <summary>
/// A global the script surface defines (<see cref="ScriptSurface.Globals"/>): enumerable, neither writable nor
/// configurable, and frozen as <paramref name="Freezing"/> says.
/// </summary>
/// <param name="Name">The global's name.</param>
/// <param name="Freezing">How much of it is frozen.</param>
public sealed record SurfaceGlobal(string Name, SurfaceFreezing Freezing);
