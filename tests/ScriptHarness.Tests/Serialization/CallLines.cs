namespace ScriptHarness.Tests.Serialization;

/// <summary>Script lines with calls and partial results, valid or breaking the contract in one way each.</summary>
internal static class CallLines
{
    // A minimal valid script line written before calls existed; the extras below go after its warnings.
    public const string WithoutCalls =
        """{"type":"script_result","index":1,"status":"error","value":null,"error":{"code":"runtime_error","message":"m"},"toolCalls":1,"durationMs":1,"logs":[],"warnings":[]}""";

    private const string OkCall = """{"id":"a","tool":"t","status":"ok","ms":1}""";

    /// <summary>Each extra breaks the contract: (why, the properties added after <c>warnings</c>).</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        { "null call", """ "calls":[null] """ },
        { "calls not an array", """ "calls":{} """ },
        { "unknown call status", """ "calls":[{"id":"a","tool":"t","status":"done","ms":1}] """ },
        { "call without id", """ "calls":[{"tool":"t","status":"ok","ms":1}] """ },
        { "call without tool", """ "calls":[{"id":"a","status":"ok","ms":1}] """ },
        { "call without status", """ "calls":[{"id":"a","tool":"t","ms":1}] """ },
        { "call without ms", """ "calls":[{"id":"a","tool":"t","status":"ok"}] """ },
        { "ms as a string", """ "calls":[{"id":"a","tool":"t","status":"ok","ms":"1"}] """ },
        { "ms out of range", """ "calls":[{"id":"a","tool":"t","status":"ok","ms":1e300}] """ },
        { "unknown call code", """ "calls":[{"id":"a","tool":"t","status":"error","ms":1,"code":"kaboom"}] """ },
        { "null partial result", $$""" "calls":[{{OkCall}}],"partialResults":[null] """ },
        { "partial result without result", $$""" "calls":[{{OkCall}}],"partialResults":[{"id":"a","tool":"t"}] """ },
        { "partial result of no call", $$""" "calls":[{{OkCall}}],"partialResults":[{"id":"b","tool":"t","result":1}] """ },
        { "partial result without calls", """ "partialResults":[{"id":"a","tool":"t","result":1}] """ },
        { "partial result of a failed call", """ "calls":[{"id":"a","tool":"t","status":"error","ms":1}],"partialResults":[{"id":"a","tool":"t","result":1}] """ },
        { "partial result twice", $$""" "calls":[{{OkCall}}],"partialResults":[{"id":"a","tool":"t","result":1},{"id":"a","tool":"t","result":2}] """ },
        { "partial result under another tool", $$""" "calls":[{{OkCall}}],"partialResults":[{"id":"a","tool":"u","result":1}] """ },
    };

    /// <summary><see cref="WithoutCalls"/> with <paramref name="extra"/> after its warnings.</summary>
    public static string With(string extra) =>
        WithoutCalls.Replace("\"warnings\":[]", "\"warnings\":[]," + extra.Trim(), StringComparison.Ordinal);
}
