namespace ScriptHarness.Tests.Serialization;

/// <summary>A memory stream that remembers its length at every flush, to prove writers flush per item.</summary>
internal sealed class FlushRecordingStream : MemoryStream
{
    public List<long> LengthAtFlush { get; } = [];

    public override void Flush()
    {
        LengthAtFlush.Add(Length);
        base.Flush();
    }

    // MemoryStream.FlushAsync calls Flush; not calling base keeps one record per flush.
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LengthAtFlush.Add(Length);
        return Task.CompletedTask;
    }
}
