namespace ScriptHarness.Engines.Worker;

/// <summary>The worker's reading of the host's frames, as a waiting engine thread uses it (<see cref="WorkerBridge.Receive"/>).</summary>
internal interface IHostInbox
{
    /// <summary>
    /// On the engine's thread while <paramref name="bridge"/>'s run waits: handles the host's next frame if one comes within
    /// <paramref name="timeout"/>. Always true (the run looks again); see <see cref="Runtime.IReceivingToolBridge.Receive"/>.
    /// </summary>
    bool Receive(WorkerBridge bridge, TimeSpan timeout, CancellationToken cancellationToken);
}
