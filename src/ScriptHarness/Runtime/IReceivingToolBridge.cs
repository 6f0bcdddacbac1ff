namespace ScriptHarness.Runtime;

/// <summary>
/// An <see cref="IToolBridge"/> that can take its calls' answers on the engine's own thread. A bridge whose answers come
/// through a channel the waiting thread can read itself (a worker process's pipe to its host) implements it: while a run
/// waits for its calls, the engine's run loop lets the bridge receive on that thread, instead of sleeping until another
/// thread reads the answer and hands it over — one thread and one wake-up fewer per call.
/// </summary>
/// <remarks>
/// The run loop of the engine kit (<c>ScriptHarness.Engines.ScriptRun</c>) calls <see cref="Receive"/> only on the
/// engine's thread and only while the run waits; a bridge that cannot receive at that moment returns false, and the run
/// waits for its calls' completions as it does with any other bridge.
/// </remarks>
public interface IReceivingToolBridge : IToolBridge
{
    /// <summary>
    /// Receives on the calling thread for at most <paramref name="timeout"/>: what arrives is handled here (an answered
    /// call completes on this thread, with its continuations).
    /// </summary>
    /// <param name="timeout">The longest wait: the run's time left.</param>
    /// <param name="cancellationToken">The host's cancellation of the run.</param>
    /// <returns>
    /// True when the run should look again: something arrived, a call was answered on another thread since the last
    /// wait, the run was cancelled, or the timeout passed. False when this bridge cannot receive now.
    /// </returns>
    bool Receive(TimeSpan timeout, CancellationToken cancellationToken);
}
