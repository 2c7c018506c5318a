import ArgumentParser
import KonektorCLI

/// `konektor-mcp`, the program behind `konektor mcp` and `konektor bench mcp`: serving is its default command.
public struct KonektorMcp: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "konektor-mcp",
        abstract: "The MCP server behind `konektor mcp` (see `konektor mcp --help`).",
        version: Konektor.configuration.version,
        subcommands: [McpServeCommand.self, McpBenchCommand.self],
        defaultSubcommand: McpServeCommand.self
    )

    public init() {}

    /// Runs `konektor-mcp` with this process's arguments and exits with konektor's exit codes.
    public static func runMain() async -> Never {
        await CommandRunner.main(root: KonektorMcp.self)
    }
}
