using ScriptHarness.AI.Mcp;
using ScriptHarness.Approvals;
using ScriptHarness.Runtime;
using ScriptHarness.Tools;

namespace ScriptHarness.AI.Tests.Mcp;

public sealed class McpToolSourceTests
{
    [Fact]
    public async Task StdioServer_ToolsBecomeToolsServerTool_WithSanitizedNames()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command());

        Assert.Equal("test_server", source.Name);
        Assert.Equal(["add", "delete_item", "echo", "exit", "fail", "note", "text_of", "zeros"], source.Tools.Tools.Select(t => t.ShortName).Order(StringComparer.Ordinal));
        Assert.Contains("echo(args: { text: string }): Promise<", TypeScriptDeclarations.Generate(new ToolRegistry(source.Tools.Tools)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotations_SetTheDefaultApprovalNeed_ReadOnlyNone_DestructiveAndUnannotatedAsk()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"));

        var approval = source.Tools.Tools.ToDictionary(t => t.ShortName, t => t.RequiresApproval);
        Assert.False(approval["echo"]);
        Assert.False(approval["add"]);
        Assert.True(approval["delete_item"]);
        Assert.True(approval["note"]);
    }

    [Fact]
    public async Task Scripts_CallTheServersTools_TextStructuredContentAndErrors()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"));
        using var harness = Harnesses.Create([source.Tools], FixedApprovalService.ApproveAll);

        var outcome = await Harnesses.RunOneAsync(harness, """
            const echoed = await tools.srv.echo({ text: "hi" });
            const sum = await tools.srv.add({ a: 2, b: 40 });
            const deleted = await tools.srv.delete_item({ id: "7" });
            let failure = null;
            try { await tools.srv.fail(); } catch (e) { failure = e.code; }
            return { echoed, sum, deleted, failure };
            """);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("""{"echoed":"hi","sum":{"total":42},"deleted":"deleted 7","failure":"tool_execution_failed"}""", outcome.Value!.ToJsonString());
    }

    [Fact]
    public async Task DestructiveTool_Denied_NeverReachesTheServer()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"));
        using var harness = Harnesses.Create([source.Tools], FixedApprovalService.DenyAllWith("read-only session"));

        var outcome = await Harnesses.RunOneAsync(harness, "return await tools.srv.delete_item({ id: '1' });");

        Assert.Equal(ScriptErrorCode.ApprovalDenied, outcome.Error!.Code);
    }

    [Fact]
    public async Task AnAnswerOverMaxMessageBytes_FailsTheCallSayingWhy_AndStopsTheServer()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"), new McpToolOptions { MaxMessageBytes = 64 * 1024 });
        using var harness = Harnesses.Create([source.Tools], FixedApprovalService.ApproveAll);

        var outcome = await Harnesses.RunOneAsync(harness, """
            const small = await tools.srv.text_of({ length: 60000 });
            let large = null, after = null;
            try { await tools.srv.text_of({ length: 70000 }); } catch (e) { large = e.message; }
            try { await tools.srv.echo({ text: "still there?" }); } catch (e) { after = e.message; }
            return { small: small.length, large, after };
            """);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var value = outcome.Value!.AsObject();
        Assert.Equal(60000, (int)value["small"]!);
        var stopped = "the MCP server 'srv' sent a message over the limit of 65,536 bytes (McpToolOptions.MaxMessageBytes) and was stopped";
        Assert.Equal("srv.text_of failed: " + stopped, (string?)value["large"]);
        Assert.Equal("srv.echo failed: " + stopped, (string?)value["after"]);
    }

    [Fact]
    public async Task AnAnswerOverMaxMessageValues_FailsTheCallSayingWhy_AndStopsTheServer()
    {
        // Before: only bytes were bounded, and an answer of 5.5 M zeros within 16 MiB took the CLI to ~950 MB.
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"), new McpToolOptions { MaxMessageValues = 10_000 });
        using var harness = Harnesses.Create([source.Tools], FixedApprovalService.ApproveAll);

        var outcome = await Harnesses.RunOneAsync(harness, """
            const few = await tools.srv.zeros({ count: 9000 });
            let many = null, after = null;
            try { await tools.srv.zeros({ count: 11000 }); } catch (e) { many = e.message; }
            try { await tools.srv.echo({ text: "still there?" }); } catch (e) { after = e.message; }
            return { few: few.values.length, many, after };
            """);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var value = outcome.Value!.AsObject();
        Assert.Equal(9000, (int)value["few"]!);
        var stopped = "the MCP server 'srv' sent a message of more than 10,000 JSON values (McpToolOptions.MaxMessageValues) and was stopped";
        Assert.Equal("srv.zeros failed: " + stopped, (string?)value["many"]);
        Assert.Equal("srv.echo failed: " + stopped, (string?)value["after"]);
    }

    [Fact]
    public async Task AServerThatExits_ItsCallsSayItExited_WithItsCodeAndLastErrorOutput()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"));
        using var harness = Harnesses.Create([source.Tools], FixedApprovalService.ApproveAll);

        var outcome = await Harnesses.RunOneAsync(harness, """
            const messages = [];
            for (const call of [() => tools.srv.exit({ code: 7 }), () => tools.srv.echo({ text: "hi" })]) {
              try { await call(); } catch (e) { messages.push(e.message); }
            }
            return messages;
            """);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        var messages = outcome.Value!.AsArray().Select(m => (string)m!).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Contains("the MCP server 'srv' exited with code 7; its last error output: exiting with 7", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServersErrorOutput_IsKeptAsItsLastLines_EachCutShort()
    {
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"));
        using var harness = Harnesses.Create([source.Tools], FixedApprovalService.ApproveAll);

        // 5 million characters without a line break: read as a line, all of them would be held in the host.
        var outcome = await Harnesses.RunOneAsync(harness, """
            try { await tools.srv.exit({ code: 3, noise: 5000000 }); } catch (e) { return e.message; }
            """);

        Assert.Equal(ScriptStatus.Ok, outcome.Status);
        Assert.Equal("srv.exit failed: the MCP server 'srv' exited with code 3; its last error output: " + new string('e', 500) + "… | exiting with 3",
            outcome.Value!.GetValue<string>());
    }

    [Fact]
    public async Task AServerThatExitsBeforeTheHandshake_FailsToStart_SayingWithWhatCodeAndOutput()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-server-{Guid.NewGuid():N}.dll");

        var error = await Assert.ThrowsAsync<IOException>(() => McpToolSource.StartAsync(new McpServerCommand("gone", "dotnet", [missing])));

        // Before: "Failed to send message." (the SDK's, about the closed pipe).
        Assert.StartsWith("the MCP server 'gone' exited with code ", error.Message, StringComparison.Ordinal);
        Assert.Contains("its last error output: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWhoseToolListNeverEnds_FailsToStart_AtMaxTools()
    {
        // Before: the SDK followed the cursor for ever (3 GB in 40 s through the CLI, and growing).
        var error = await Assert.ThrowsAsync<IOException>(() => McpToolSource.StartAsync(TestMcpServer.Listing("endless"), new McpToolOptions { MaxTools = 250 }));

        Assert.Equal("the MCP server 'srv' lists more than 250 tools (McpToolOptions.MaxTools)", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3L * 1024 * 1024)]
    public async Task AServerThatDescribesItsToolsAtLength_FailsToStart_AtMaxToolListBytes(long? maxBytes)
    {
        // Before: pages of one tool described in 15 MiB took the CLI to 12.6 GB in the 60 s StartTimeout gave it.
        var options = maxBytes is { } set ? new McpToolOptions { MaxToolListBytes = set } : new McpToolOptions();

        var error = await Assert.ThrowsAsync<IOException>(() => McpToolSource.StartAsync(TestMcpServer.Listing("wordy"), options));

        Assert.Equal($"the MCP server 'srv' describes its tools in more than {options.MaxToolListBytes:N0} bytes (McpToolOptions.MaxToolListBytes)", error.Message);
    }

    [Fact]
    public async Task MaxToolListBytes_AtItsLeast_StillTakesAnOrdinaryServer()
    {
        // Eight tools with their schemas: far below 64 KiB, the least the option takes.
        await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"), new McpToolOptions { MaxToolListBytes = 64 * 1024 });

        Assert.Equal(8, source.Tools.Tools.Count);
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(7, false)]
    public async Task MaxTools_CountsEveryToolListed(int maxTools, bool starts)
    {
        // The test server lists eight tools.
        if (starts)
        {
            await using var source = await McpToolSource.StartAsync(TestMcpServer.Command("srv"), new McpToolOptions { MaxTools = maxTools });
            Assert.Equal(8, source.Tools.Tools.Count);
            return;
        }

        var error = await Assert.ThrowsAsync<IOException>(() => McpToolSource.StartAsync(TestMcpServer.Command("srv"), new McpToolOptions { MaxTools = maxTools }));
        Assert.Equal("the MCP server 'srv' lists more than 7 tools (McpToolOptions.MaxTools)", error.Message);
    }

    [Fact]
    public async Task AServerThatNeverListsItsTools_FailsToStart_AtStartTimeout()
    {
        // Before: the start waited for ever (the SDK times out only its handshake).
        var error = await Assert.ThrowsAsync<IOException>(() =>
            McpToolSource.StartAsync(TestMcpServer.Listing("silent"), new McpToolOptions { StartTimeout = TimeSpan.FromSeconds(2) }));

        Assert.Equal("the MCP server 'srv' did not start within 2 s (McpToolOptions.StartTimeout): no answer to its handshake or to the listing of its tools", error.Message);
    }

    [Fact]
    public async Task TheCallersCancellation_DuringTheStart_StaysACancellation()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => McpToolSource.StartAsync(TestMcpServer.Listing("silent"), cancellationToken: cancel.Token));
    }

    [Theory]
    [InlineData(0, 1000, "McpToolOptions.StartTimeout must be positive and at most 1 hour")]
    [InlineData(3601, 1000, "McpToolOptions.StartTimeout must be positive and at most 1 hour")]
    [InlineData(60, 0, "McpToolOptions.MaxTools must be between 1 and 100,000")]
    [InlineData(60, 100_001, "McpToolOptions.MaxTools must be between 1 and 100,000")]
    public async Task StartTimeoutAndMaxTools_OutOfRange_AreConfigurationErrors(int seconds, int maxTools, string problem)
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() =>
            McpToolSource.StartAsync(TestMcpServer.Command(), new McpToolOptions { StartTimeout = TimeSpan.FromSeconds(seconds), MaxTools = maxTools }));

        Assert.Equal([problem], error.Problems);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(100_000_001)]
    public async Task MaxMessageValues_OutOfRange_IsAConfigurationError(long values)
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => McpToolSource.StartAsync(TestMcpServer.Command(), new McpToolOptions { MaxMessageValues = values }));

        Assert.Equal(["McpToolOptions.MaxMessageValues must be between 1,000 and 100,000,000"], error.Problems);
    }

    [Theory]
    [InlineData(64 * 1024 - 1)]
    [InlineData((1L << 30) + 1)]
    public async Task MaxToolListBytes_OutOfRange_IsAConfigurationError(long bytes)
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => McpToolSource.StartAsync(TestMcpServer.Command(), new McpToolOptions { MaxToolListBytes = bytes }));

        Assert.Equal(["McpToolOptions.MaxToolListBytes must be between 64 KiB and 1 GiB"], error.Problems);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2L << 30)]
    public async Task MaxMessageBytes_OutOfRange_IsAConfigurationError(long bytes)
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => McpToolSource.StartAsync(TestMcpServer.Command(), new McpToolOptions { MaxMessageBytes = bytes }));

        Assert.Contains("McpToolOptions.MaxMessageBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node server.js --port 3", null, "node", "server.js|--port|3")]
    [InlineData("weather=dotnet run 'my server.dll'", "weather", "dotnet", "run|my server.dll")]
    [InlineData("\"/opt/my tools/srv\" a\\ b", null, "/opt/my tools/srv", "a b")]
    public void Parse_SplitsLikeAShellLine(string line, string? name, string command, string arguments)
    {
        var parsed = McpServerCommand.Parse(line);

        Assert.Equal(name, parsed.Name);
        Assert.Equal(command, parsed.Command);
        Assert.Equal(arguments.Split('|'), parsed.Arguments);
    }

    [Theory]
    [InlineData("")]
    [InlineData("node 'unclosed")]
    [InlineData("bad!=node x")]
    public void Parse_RefusesWhatIsNotACommand(string line) =>
        Assert.Throws<FormatException>(() => McpServerCommand.Parse(line));
}
