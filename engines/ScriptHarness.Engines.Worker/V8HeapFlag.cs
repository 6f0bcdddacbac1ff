using System.Runtime.InteropServices;

namespace ScriptHarness.Engines.Worker;

/// <summary>Sets a V8 flag in this (worker) process, through the same native entry point the V8 engine uses for its own.</summary>
internal static partial class V8HeapFlag
{
    public static void Set(string flag) => SetFlagsFromString(flag);

    [LibraryImport("ClearScriptV8.linux-x64.so", EntryPoint = "_ZN2v82V818SetFlagsFromStringEPKc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void SetFlagsFromString(string flags);
}
