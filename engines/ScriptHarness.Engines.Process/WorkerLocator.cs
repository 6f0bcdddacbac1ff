namespace ScriptHarness.Engines.Process;

/// <summary>Finds the worker the build put next to this assembly, and the command that starts it.</summary>
internal static class WorkerLocator
{
    public const string FolderName = "scriptharness-worker";
    public const string AssemblyFileName = "ScriptHarness.Engines.Worker.dll";

    /// <summary>The worker's main assembly: <paramref name="configured"/>, or <c>scriptharness-worker/</c> next to this assembly.</summary>
    public static string Locate(string? configured)
    {
        var path = configured ?? Path.Combine(
            Path.GetDirectoryName(typeof(WorkerLocator).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory,
            FolderName, AssemblyFileName);
        return File.Exists(path)
            ? path
            : throw new ConfigurationException([$"the ScriptHarness worker was not found at '{path}' (it is built with ScriptHarness.Engines.Process into its output's {FolderName}/ folder)"]);
    }

    /// <summary>The dotnet host to run the worker with: the one running this process when it is dotnet, else the one on the path.</summary>
    public static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }
}
