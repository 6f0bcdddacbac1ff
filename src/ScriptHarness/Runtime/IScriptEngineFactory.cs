namespace ScriptHarness.Runtime;

/// <summary>An engine: a factory of sandboxes plus what it can enforce.</summary>
public interface IScriptEngineFactory
{
    /// <summary>The engine's name in configuration, lower case: <c>jint</c>, <c>v8</c>.</summary>
    string Name { get; }

    /// <summary>The limits the engine enforces natively.</summary>
    EngineCapabilities Capabilities { get; }

    /// <summary>Creates a fresh sandbox for one script under <paramref name="limits"/>.</summary>
    ValueTask<IScriptSandbox> CreateAsync(ScriptLimits limits, CancellationToken cancellationToken);
}
