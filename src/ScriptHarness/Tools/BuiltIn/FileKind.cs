using System.Runtime.InteropServices;

namespace ScriptHarness.Tools.BuiltIn;

/// <summary>
/// Whether a path names a regular file, found without opening it: opening a FIFO blocks until a writer comes, and a
/// device or socket is no text file either. <see cref="FileSystemInfo"/> does not tell these apart on Unix.
/// </summary>
/// <remarks>
/// On Unix this asks the runtime's own native shim (<c>SystemNative_Stat</c> in libSystem.Native, which
/// <see cref="File"/> itself uses), whose file-type bits are the same on every Unix; the FIFO tests guard its layout.
/// Windows has no such files in a directory tree.
/// </remarks>
internal static partial class FileKind
{
    private const int TypeMask = 0xF000;   // S_IFMT as the shim normalizes it
    private const int RegularFile = 0x8000; // S_IFREG

    /// <summary>True when <paramref name="fullPath"/> (links followed) is a regular file, or when it cannot be examined
    /// (missing, no access): opening it then fails on its own, without blocking.</summary>
    public static bool IsRegularOrUnknown(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        // The shim's FileStatus is a few dozen bytes; the mode is the second 32-bit field.
        Span<byte> status = stackalloc byte[256];
        return Stat(fullPath, ref MemoryMarshal.GetReference(status)) != 0
            || (MemoryMarshal.Read<int>(status[4..]) & TypeMask) == RegularFile;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte status);
}
