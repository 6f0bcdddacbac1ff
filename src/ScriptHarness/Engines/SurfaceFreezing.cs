namespace ScriptHarness.Engines;

/// <summary>How much of a script-surface object (<see cref="ScriptSurface"/>) is frozen.</summary>
public enum SurfaceFreezing
{
    /// <summary>The object itself is frozen (<c>Object.isFrozen</c>); the values of its members may not be.</summary>
    Frozen,

    /// <summary>The object and every object reachable through its own enumerable properties are frozen (functions are members, not walked).</summary>
    DeepFrozen,
}
