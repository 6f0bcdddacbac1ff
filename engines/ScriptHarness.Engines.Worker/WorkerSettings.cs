using System.Globalization;

namespace ScriptHarness.Engines.Worker;

/// <summary>The worker's command line.</summary>
internal sealed record WorkerSettings(string Engine, int HeapMegabytes, int MaxFrameBytes)
{
    public static WorkerSettings? Parse(string[] args)
    {
        string? engine = null;
        var heap = 0;
        var maxFrame = 80 * 1024 * 1024;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--engine":
                    engine = args[i + 1];
                    break;
                case "--heap-mb" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var mb):
                    heap = mb;
                    break;
                case "--max-frame-bytes" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0:
                    maxFrame = bytes;
                    break;
                default:
                    return null;
            }
        }

        return args.Length % 2 == 0 && engine is "jint" or "v8" ? new WorkerSettings(engine, heap, maxFrame) : null;
    }
}
