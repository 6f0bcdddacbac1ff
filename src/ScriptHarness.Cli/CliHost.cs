using System.Text.Json;
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
            if (Directory.Exists(configFile.FullName))
            {
                throw new CliUsageException($"configuration file '{configFile.FullName}' is a directory");
            }

            if (!configFile.Exists)
            {
                throw new CliUsageException($"configuration file '{configFile.FullName}' does not exist");
            }

            builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex) when (configFile is not null)
        {
            throw new CliUsageException($"configuration file '{configFile.FullName}' is not valid: {ConfigurationProblem(ex)}");
        }
        catch (IOException ex) when (configFile is not null)
        {
            throw new CliUsageException($"cannot read configuration file '{configFile.FullName}': {ex.Message}");
        }
        catch (UnauthorizedAccessException) when (configFile is not null)
        {
            throw new CliUsageException($"cannot read configuration file '{configFile.FullName}': permission denied");
        }
    }

    // The JSON provider says "Failed to load configuration from file" around "Could not parse the JSON file" around
    // the reader's own message, whose "LineNumber: 0 | BytePositionInLine: 2" counts from 0.
    private static string ConfigurationProblem(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is JsonException { LineNumber: { } line, BytePositionInLine: { } column } json)
            {
                var message = json.Message;
                var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
                message = (cut >= 0 ? message[..cut] : message).TrimEnd();
                return $"not JSON at line {line + 1}, column {column + 1}: {message}";
            }
        }

        // Valid JSON of the wrong shape (an array at the top, say): the provider's innermost message says what.
        var innermost = ex;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return CliMessages.Of(innermost);
    }

    // Every registration is checked once by a test (CliServicesTests builds these with ValidateOnBuild), not at every start:
    // validating builds a call site for every service, tens of milliseconds of a cold `run` for a list that never changes.
    public static ServiceProvider BuildServices(IConfiguration configuration, IEnumerable<ToolSet> toolSets, IApprovalService approvals) =>
        Register(configuration, toolSets, approvals).BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

    /// <summary>The CLI's services: the harness with the given tools, state, the engine the configuration chooses and process isolation.</summary>
    public static ServiceCollection Register(IConfiguration configuration, IEnumerable<ToolSet> toolSets, IApprovalService approvals)
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
        services.AddScriptHarnessState(configuration);
        CliEngines.AddChosen(services, configuration);
        services.AddProcessIsolation();
        return services;
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
            throw new CliUsageException(CliMessages.Of(ex));
        }
    }
}
