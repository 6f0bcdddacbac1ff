namespace ScriptHarness.Cli;

/// <summary>What <c>run --conversation</c> accepts: an id that is also safe as part of a cache key and in logs.</summary>
internal static class ConversationIds
{
    public const int MaxLength = 128;

    public static bool IsValid(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
