using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

/// <summary>
/// Inputs the msgpack fuzz target found (fuzz/corpus/msgpack/crash-*): a length prefix far beyond the input made the
/// MessagePack library throw ArgumentOutOfRangeException instead of the FormatException the reader promises.
/// </summary>
public sealed class MessagePackFuzzRegressionTests
{
    [Theory]
    // An unknown key whose bin32 value claims 0xC6C6C6C6 bytes (skipped): found by AFL++.
    [InlineData("83a4747170c6c6c6c6c600040400c6c6c6c6c674657a74a068656c6c6e0a")]
    // A str32 map key claiming 0xFFFFFFFF bytes.
    [InlineData("81dbffffffff")]
    // A known key whose str32 value claims 0xFFFFFFF0 bytes.
    [InlineData("82a474797065a474657874a474657874dbfffffff0")]
    public void Deserialize_LengthBeyondTheInput_IsFormatException(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Throws<FormatException>(() => ResponseItemMessagePack.Deserialize(bytes));
    }
}
