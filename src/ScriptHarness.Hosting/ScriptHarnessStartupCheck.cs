using Microsoft.Extensions.Hosting;

namespace ScriptHarness.Hosting;

/// <summary>
/// Fails the host's start, before any hosted service starts, when the harness's configuration is unusable: one
/// <see cref="ConfigurationException"/> listing every problem, instead of an exception at the first resolve.
/// </summary>
internal sealed class ScriptHarnessStartupCheck(ScriptHarnessSetup setup) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = setup.Value;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
