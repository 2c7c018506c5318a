import ArgumentParser

/// `konektor mcp`: the policy-offered tools for any MCP client, over stdio or streamable HTTP.
///
/// The server itself is `konektor-mcp`, installed beside `konektor`: the MCP SDK brings Foundation's URLSession and
/// libcurl with some thirty shared libraries, and every `ask` would otherwise load and relocate them at start-up.
/// The options are parsed here too, so help, completion and a mistyped option are answered without starting it.
struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the policy-offered tools over the Model Context Protocol (stdio; --http for streamable HTTP).",
        discussion: """
            Every tool call goes through the same gate as ask and the REPL: validation, the policy, confirmation \
            (asked through the client's elicitation) or approval, the shared client and the audit log, which names \
            the MCP client as the planner. The client never sees the API key. Register it with --print-config.

            The server is the konektor-mcp program beside konektor (scripts/run builds both).

            EXAMPLES:
              konektor mcp --policy analyst
              konektor mcp --print-config claude > .mcp.json
              konektor mcp --supervised --http --port 8765
            """
    )

    @OptionGroup var options: McpOptions

    func run() async throws {
        try CompanionProgram.mcp.replaceThisProcess(arguments: options.arguments)
    }
}
