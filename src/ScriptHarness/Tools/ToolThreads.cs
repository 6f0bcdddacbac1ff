using System.Text.Json.Nodes;

namespace ScriptHarness.Tools;

/// <summary>
/// Dedicated threads that start the handlers of tools not declared <see cref="ToolDefinition.NonBlocking"/>. A handler
/// that blocks (<c>Thread.Sleep</c>, synchronous I/O) then holds one of these instead of an engine's thread — where it
/// would stop the script's clock and every script queued behind it — or a thread-pool thread, which the pool replaces
/// only about twice a second, starving every continuation in the process meanwhile. A thread is created when none is
/// idle, so a blocked handler never delays the next one; how many can be busy is bounded by the
/// <see cref="ToolExecutionGate"/> (running plus abandoned handlers). Idle threads end after <see cref="IdleTimeout"/>.
/// </summary>
internal sealed class ToolThreads : IDisposable
{
    /// <summary>How long a thread waits for work before it ends.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly TimeSpan _idleTimeout;

    // Last in, first out: the most recently used thread is the likeliest to be still spinning, and the others can age out.
    private readonly List<Worker> _idle = [];
    private int _threads;
    private bool _disposed;

    /// <summary>Threads that end after <see cref="IdleTimeout"/> idle.</summary>
    public ToolThreads()
        : this(IdleTimeout)
    {
    }

    /// <summary>Threads that end after <paramref name="idleTimeout"/> idle (tests shorten it).</summary>
    public ToolThreads(TimeSpan idleTimeout) => _idleTimeout = idleTimeout;

    /// <summary>Threads alive, busy or idle.</summary>
    public int Count => Volatile.Read(ref _threads);

    /// <summary>Starts <paramref name="handler"/> on one of the threads; the task completes when the handler's result does.</summary>
    public Task<JsonNode?> Run(ToolHandler handler, JsonNode? arguments, ToolCallContext call, CancellationToken cancellationToken)
    {
        var work = new Work(handler, arguments, call, cancellationToken, ExecutionContext.Capture());
        Worker? worker = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.Count > 0)
            {
                worker = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
            }
            else
            {
                _threads++;
            }
        }

        if (worker is null)
        {
            worker = new Worker(this);
            worker.Give(work);
            worker.Start();
        }
        else
        {
            worker.Give(work);
        }

        return work.Task;
    }

    /// <summary>Idle threads end now, busy ones when their handler returns.</summary>
    public void Dispose()
    {
        Worker[] idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            _threads -= idle.Length; // each ends on the null it is given below, without coming back here
        }

        foreach (var worker in idle)
        {
            worker.Give(null);
        }
    }

    /// <summary>The worker is done with its handler: back to the idle list, or false when it should end.</summary>
    private bool ReturnIdle(Worker worker)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                _threads--;
                return false;
            }

            _idle.Add(worker);
            return true;
        }
    }

    /// <summary>The worker waited <see cref="IdleTimeout"/> for nothing: it ends unless a caller claimed it meanwhile.</summary>
    private bool Retire(Worker worker)
    {
        lock (_lock)
        {
            if (!_idle.Remove(worker))
            {
                return false;
            }

            _threads--;
            return true;
        }
    }

    private sealed class Worker(ToolThreads owner)
    {
        // Never disposed: a thread that ends has nothing left to signal it.
        private readonly SemaphoreSlim _signal = new(0);
        private Work? _work;

        public void Start() => new Thread(Loop) { IsBackground = true, Name = "ScriptHarness tool" }.Start();

        /// <summary>Hands over the next work item; null tells the thread to end.</summary>
        public void Give(Work? work)
        {
            _work = work;
            _signal.Release(); // a full fence: the thread sees _work once it wakes
        }

        private void Loop()
        {
            while (true)
            {
                if (!_signal.Wait(owner._idleTimeout))
                {
                    if (owner.Retire(this))
                    {
                        return;
                    }

                    _signal.Wait(); // claimed just as it timed out: the work is on its way
                }

                var work = _work;
                _work = null;
                if (work is null)
                {
                    return;
                }

                work.Execute();

                // Idle again before the result is published: its continuations (the facade's, the engine's hand-back) run
                // inline here, and the script's next call must find this thread free instead of starting another.
                var keep = owner.ReturnIdle(this);
                work.Publish();
                if (!keep)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// One handler call and the task of its result. A synchronous outcome is kept until <see cref="Publish"/>; an
    /// asynchronous one completes the task wherever the handler's work completes. Continuations run where the result is
    /// published: no second hop.
    /// </summary>
    private sealed class Work(ToolHandler handler, JsonNode? arguments, ToolCallContext call, CancellationToken cancellationToken, ExecutionContext? context)
        : TaskCompletionSource<JsonNode?>
    {
        private ValueTask<JsonNode?> _completed;
        private bool _synchronous;

        public void Execute()
        {
            if (context is null)
            {
                Start(this);
            }
            else
            {
                ExecutionContext.Run(context, static state => Start((Work)state!), this);
            }
        }

        public void Publish()
        {
            if (!_synchronous)
            {
                return; // still running asynchronously: CompleteLaterAsync publishes
            }

            try
            {
                TrySetResult(_completed.GetAwaiter().GetResult());
            }
            catch (Exception ex)
            {
                TrySetException(ex);
            }
        }

        private static void Start(Work work)
        {
            ValueTask<JsonNode?> pending;
            try
            {
                pending = work.Invoke();
            }
            catch (Exception ex)
            {
                pending = ValueTask.FromException<JsonNode?>(ex);
            }

            if (pending.IsCompleted)
            {
                work._completed = pending;
                work._synchronous = true;
            }
            else
            {
                _ = work.CompleteLaterAsync(pending);
            }
        }

        private ValueTask<JsonNode?> Invoke() => handler(arguments, call, cancellationToken);

        private async Task CompleteLaterAsync(ValueTask<JsonNode?> pending)
        {
            // The thread is free as soon as the handler awaits: only its synchronous part ran here.
            try
            {
                TrySetResult(await pending.ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                TrySetException(ex);
            }
        }
    }
}
