using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScriptHarness.Approvals;
using ScriptHarness.Tools;
using ScriptHarness.Tools.BuiltIn;

namespace ScriptHarness.Cli;

/// <summary>Builds the service provider the commands use: configuration file, then environment, then flags.</summary>
internal static class CliHost
{
    public const string EnvironmentPrefix = "SCRIPTHARNESS__";

    public static IConfiguration BuildConfiguration(FileInfo? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw new CliUsageException($"configuration file '{configFile.FullName}' does not exist");
            }

            builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    public static ServiceProvider BuildServices(IConfiguration configuration, IEnumerable<ToolSet> toolSets, IApprovalService approvals)
    {
        var services = new ServiceCollection();
        services.AddSingleton(approvals);
        services.AddScriptHarness(configuration, builder =>
        {
            foreach (var set in toolSets)
            {
                builder.AddToolSet(set);
            }
        });
        services.AddJintEngine();
        services.AddV8Engine();
        services.AddProcessIsolation();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static IReadOnlyList<ToolSet> ResolveToolSets(string list, DirectoryInfo? workspace)
    {
        var root = (workspace ?? new DirectoryInfo(Environment.CurrentDirectory)).FullName;
        if (!Directory.Exists(root))
        {
            throw new CliUsageException($"workspace '{root}' does not exist");
        }

        var options = new BuiltInToolSetOptions { WorkspaceRoot = root, TimeProvider = TimeProvider.System };
        try
        {
            return [.. CliOptions.SplitList(list).Distinct(StringComparer.Ordinal).Select(name => BuiltInToolSets.Resolve(name, options))];
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }
    }
}
