import ArgumentParser

/// `konektor bench mcp`: run by `konektor-mcp bench`, where the MCP layer lives (see ``McpCommand``).
struct McpBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Time tool calls through the MCP layer (SDK client and server in memory) against the same calls on the session directly."
    )

    @OptionGroup var options: McpBenchOptions

    func run() async throws {
        try CompanionProgram.mcp.replaceThisProcess(arguments: ["bench", "--calls", String(options.calls)])
    }
}
