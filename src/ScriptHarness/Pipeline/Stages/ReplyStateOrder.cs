namespace ScriptHarness.Pipeline;

/// <summary>
/// Keeps state flowing in reply order: blocks of one reply run in parallel, except that a block that uses state
/// (<see cref="Parsing.ParsedScript.UsesState"/>) first waits for every earlier block of its reply to end. A block is
/// registered when it is ready to run (in reply order, by the sequential prepare stage), so every earlier block is known
/// by the time a later one asks; earlier blocks are taken first by the run block, so the wait cannot hold them up.
/// </summary>
internal sealed class ReplyStateOrder
{
    private readonly Lock _gate = new();
    private readonly List<(int Index, TaskCompletionSource Done)> _blocks = [];

    /// <summary>Registers the block at <paramref name="index"/>; called in reply order.</summary>
    public void Register(int index)
    {
        lock (_gate)
        {
            _blocks.Add((index, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
    }

    /// <summary>Completes when every block registered before <paramref name="index"/> has ended.</summary>
    public Task EarlierBlocksAsync(int index, CancellationToken cancellationToken)
    {
        List<Task>? earlier = null;
        lock (_gate)
        {
            foreach (var (i, done) in _blocks)
            {
                if (i < index && !done.Task.IsCompleted)
                {
                    (earlier ??= []).Add(done.Task);
                }
            }
        }

        return earlier is null ? Task.CompletedTask : Task.WhenAll(earlier).WaitAsync(cancellationToken);
    }

    /// <summary>The block at <paramref name="index"/> has ended, however it ended.</summary>
    public void Ended(int index)
    {
        TaskCompletionSource? done = null;
        lock (_gate)
        {
            foreach (var (i, d) in _blocks)
            {
                if (i == index)
                {
                    done = d;
                    break;
                }
            }
        }

        done?.TrySetResult();
    }
}
