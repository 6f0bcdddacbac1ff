using ScriptHarness.Engines.Process.Protocol;

namespace ScriptHarness.Tests.Engines.Process;

/// <summary>Never more pollers than processors: a running script has two ends that may poll, the host's and the worker's.</summary>
public sealed class PollGateTests
{
    [Fact]
    public void OnTwoProcessors_TheHostPollsForOneRunningScript_AndTheWorkersForTwo()
    {
        var gate = new PollGate(processors: 2);
        Assert.Equal(0, gate.Running);
        Assert.True(gate.HostMayPoll);
        Assert.True(gate.WorkerMayPoll);

        using (gate.Enter())
        {
            Assert.Equal(1, gate.Running);
            Assert.True(gate.HostMayPoll);
            Assert.True(gate.WorkerMayPoll);
            using (gate.Enter())
            {
                Assert.Equal(2, gate.Running);
                Assert.False(gate.HostMayPoll);
                Assert.True(gate.WorkerMayPoll);
                using (gate.Enter())
                {
                    Assert.Equal(3, gate.Running);
                    Assert.False(gate.HostMayPoll);
                    Assert.False(gate.WorkerMayPoll);
                }

                Assert.True(gate.WorkerMayPoll);
            }

            Assert.True(gate.HostMayPoll);
        }

        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public void OnFourProcessors_TheHostPollsForTwoRunningScripts_AndTheWorkersForFour()
    {
        var gate = new PollGate(processors: 4);
        var leases = new List<PollGate.Lease>();
        var seen = new List<(bool Host, bool Worker)>();
        for (var i = 1; i <= 5; i++)
        {
            leases.Add(gate.Enter());
            seen.Add((gate.HostMayPoll, gate.WorkerMayPoll));
        }

        Assert.Equal([(true, true), (true, true), (false, true), (false, true), (false, false)], seen);
        leases.ForEach(l => l.Dispose());
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public void ALeaseDisposedTwice_EndsItsScriptOnce()
    {
        var gate = new PollGate(processors: 2);
        using var other = gate.Enter();
        var lease = gate.Enter();

        lease.Dispose();
        lease.Dispose();

        Assert.Equal(1, gate.Running);
    }
}
