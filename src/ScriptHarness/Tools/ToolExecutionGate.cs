namespace ScriptHarness.Tools;

/// <summary>
/// The harness-wide bound on tool handlers running at once, across all scripts. A semaphore rather than an
/// ActionBlock: it gives the same bound, but a handler that completes synchronously stays on the caller's
/// thread — a forced thread-pool hop costs 2.5–5× a synchronous completion per call.
/// </summary>
internal sealed class ToolExecutionGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public ToolExecutionGate(int maxConcurrentExecutions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentExecutions, 1);
        _slots = new SemaphoreSlim(maxConcurrentExecutions, maxConcurrentExecutions);
        Capacity = maxConcurrentExecutions;
    }

    public int Capacity { get; }

    public int InUse => Capacity - _slots.CurrentCount;

    /// <summary>Waits for a slot; the returned lease frees it.</summary>
    public ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return ValueTask.FromResult(new Lease(_slots));
        }

        return WaitAsync(cancellationToken);
    }

    private async ValueTask<Lease> WaitAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    internal readonly struct Lease(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
