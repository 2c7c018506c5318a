import AgentCore
import ArgumentParser
import Foundation
import KonektorCLI
import KonektorKit
import KonektorMCP

/// `konektor mcp` (`konektor-mcp`): serves the policy-offered tools to an MCP client, over stdio or streamable HTTP.
struct McpServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the policy-offered tools over the Model Context Protocol (stdio; --http for streamable HTTP)."
    )

    @OptionGroup var options: McpOptions

    func run() async throws {
        if let printConfig = options.printConfig {
            writeStandardOutput(ClientConfigSnippet(command: options.command, arguments: options.serverArguments(), environment: ProcessInfo.processInfo.environment)
                .render(for: printConfig.snippetClient))
            writeStandardError("The snippet names KONEKTOR_API_KEY, never its value: set it in the client's environment (without it, konektor uses its embedded sandbox).\n")
            return
        }
        let settings = try SessionSettings.resolve(policy: options.policy, planner: nil, model: nil,
                                                   environment: ProcessInfo.processInfo.environment, paths: KonektorPaths())
        let opener = CommandLineSessionOpener(policyName: settings.policy, policyOrigin: settings.policyOrigin, supervised: options.supervised,
                                              assumeYes: options.yes, approvalLifetime: .seconds(options.expiresIn))
        let limits = MCPLimits(turnGap: options.turnGap)
        let version = Konektor.configuration.version
        guard options.http else {
            try await StdioGateway.serve(opener: opener, version: version, limits: limits)
            return
        }
        let paths = KonektorPaths()
        let tokenURL = options.tokenFile.map { URL(fileURLWithPath: $0) } ?? paths.configDirectory.appendingPathComponent("mcp-token")
        let token = try MCPToken.loadOrCreate(at: tokenURL)
        if !ServiceURL.isLoopback(host: options.host) {
            writeStandardError("warning: konektor mcp listens on \(options.host), beyond this machine; anyone who holds the token can use your workspace through it\n")
        }
        let gateway = HTTPGateway(configuration: .init(host: options.host, port: options.port, token: token, limits: limits), opener: opener, version: version)
        let (host, json) = (options.host.contains(":") ? "[\(options.host)]" : options.host, options.json)
        try await gateway.run { port in
            let url = "http://\(host):\(port)/mcp"
            if json {
                writeStandardOutput(JSONValue.object(["url": .string(url), "tokenFile": .string(tokenURL.path)]).jsonString() + "\n")
            } else {
                writeStandardError("konektor mcp at \(url); clients send Authorization: Bearer <the token in \(tokenURL.path)>. Ctrl-C stops it.\n")
            }
        }
    }
}

extension McpOptions.ClientKind {
    var snippetClient: ClientConfigSnippet.Client {
        switch self {
        case .claude: .claude
        case .cursor: .cursor
        case .codex: .codex
        }
    }
}
