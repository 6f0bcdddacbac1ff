namespace ScriptHarness.Engines.Process.Protocol;

/// <summary>A frame that breaks the protocol (too large, cut short, not the schema): the side that sent it is killed.</summary>
internal sealed class FrameException : Exception
{
    public FrameException(string message)
        : base(message)
    {
    }

    public FrameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FrameException()
    {
    }
}
