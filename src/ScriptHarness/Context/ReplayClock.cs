namespace ScriptHarness.Context;

/// <summary>The fixed time and random seed of a block run with durable approvals (<see cref="ScriptContext.Replay"/>).</summary>
/// <param name="UnixMilliseconds">What <c>Date.now()</c> returns throughout the block.</param>
/// <param name="Seed">Seeds <c>Math.random</c> (xorshift128 on four 32-bit words made from it); never 0.</param>
public sealed record ReplayClock(long UnixMilliseconds, ulong Seed);
