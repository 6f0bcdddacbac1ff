using ScriptHarness.Fuzz;
using SharpFuzz;

// Usage:
//   ScriptHarness.Fuzz <target>                 run under afl-fuzz (input from AFL's shared memory / stdin)
//   ScriptHarness.Fuzz <target> replay <dir|file>...  run every file in-process; exit 1 on the first failure
// Targets: detector, validator, msgpack, schema, decoder.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: ScriptHarness.Fuzz <{string.Join("|", FuzzTargets.All.Keys)}> [replay <dir|file>...]");
    return 2;
}

if (args.Length == 3 && args[1] == "seed")
{
    // Writes seed inputs the corpus cannot hold as text (MessagePack items) into the given folder.
    Seeds.Write(args[0], args[2]);
    return 0;
}

if (args.Length >= 2 && args[1] == "replay")
{
    var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal).ToList();
    var failed = 0;
    foreach (var file in files)
    {
        try
        {
            target(File.ReadAllBytes(file));
        }
        catch (Exception ex)
        {
            failed++;
            Console.Error.WriteLine(Environment.GetEnvironmentVariable("FUZZ_STACK") == "1"
                ? $"{args[0]}: {file}: {ex}"
                : $"{args[0]}: {file}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    Console.WriteLine($"{args[0]}: replayed {files.Count} inputs, {failed} failed");
    return failed == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;
