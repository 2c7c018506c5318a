import AgentCore
import ArgumentParser
import Foundation
import KonektorKit
import KonektorMCP

/// `konektor mcp`: the policy-offered tools for any MCP client, over stdio or streamable HTTP.
struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the policy-offered tools over the Model Context Protocol (stdio; --http for streamable HTTP).",
        discussion: """
            Every tool call goes through the same gate as ask and the REPL: validation, the policy, confirmation \
            (asked through the client's elicitation) or approval, the shared client and the audit log, which names \
            the MCP client as the planner. The client never sees the API key. Register it with --print-config.

            EXAMPLES:
              konektor mcp --policy analyst
              konektor mcp --print-config claude > .mcp.json
              konektor mcp --supervised --http --port 8765
            """
    )

    /// Clients whose registration snippet `--print-config` prints.
    enum ClientKind: String, ExpressibleByArgument, CaseIterable {
        case claude, cursor, codex
    }

    @Option(help: ArgumentHelp("The policy: a name or a YAML file (default: KONEKTOR_POLICY, config.yaml, then 'default').", valueName: "name|file"),
            completion: .custom { _, _, _ in PolicyLoading.completionNames() })
    var policy: String?

    @Flag(help: "Every write waits for a person's approval (konektor approvals), whatever the policy says.")
    var supervised = false

    @Flag(help: "Send writes that need confirmation without asking, when the policy permits unattended writes and the client cannot ask.")
    var yes = false

    @Flag(help: "Serve streamable HTTP at /mcp instead of stdio (bearer token required).")
    var http = false

    @Option(help: "The address --http listens on (loopback unless told otherwise).")
    var host = "127.0.0.1"

    @Option(help: "The port --http listens on (0: any free port).")
    var port = 8765

    @Option(name: .customLong("token-file"), help: ArgumentHelp("The file holding --http's bearer token (created, mode 0600, when missing).", valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("turn-gap"), help: ArgumentHelp("Calls less than this many seconds apart are one turn, for the policy's calls-per-turn limit.", valueName: "seconds"))
    var turnGap: Double = 10

    @Option(name: .customLong("expires-in"), help: ArgumentHelp("How long a pending write waits for a decision before it expires.", valueName: "seconds"))
    var expiresIn = 1800

    @Flag(help: "With --http, print one JSON line (url, tokenFile) when listening.")
    var json = false

    @Option(name: .customLong("print-config"), help: ArgumentHelp("Print the snippet that registers konektor mcp with a client, and exit.", valueName: "claude|cursor|codex"))
    var printConfig: ClientKind?

    @Option(help: ArgumentHelp("The command --print-config names (default: konektor, found on PATH).", valueName: "path"))
    var command = "konektor"

    func validate() throws {
        guard turnGap > 0 else { throw ValidationError("--turn-gap must be more than 0 seconds") }
        guard (1...7 * 24 * 3600).contains(expiresIn) else { throw ValidationError("--expires-in must be between 1 second and 7 days") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        if let printConfig {
            writeStandardOutput(ClientConfigSnippet(command: command, arguments: serverArguments(), environment: ProcessInfo.processInfo.environment)
                .render(for: printConfig.snippetClient))
            writeStandardError("The snippet names KONEKTOR_API_KEY, never its value: set it in the client's environment (without it, konektor uses its embedded sandbox).\n")
            return
        }
        let settings = try SessionOptions.parse(policy.map { ["--policy", $0] } ?? []).resolveSettings()
        let opener = CommandLineSessionOpener(policyName: settings.policy, policyOrigin: settings.policyOrigin, supervised: supervised, assumeYes: yes,
                                              approvalLifetime: .seconds(expiresIn))
        let limits = MCPLimits(turnGap: turnGap)
        let version = Konektor.configuration.version
        guard http else {
            try await StdioGateway.serve(opener: opener, version: version, limits: limits)
            return
        }
        let paths = KonektorPaths()
        let tokenURL = tokenFile.map { URL(fileURLWithPath: $0) } ?? paths.configDirectory.appendingPathComponent("mcp-token")
        let token = try MCPToken.loadOrCreate(at: tokenURL)
        if !ServiceURL.isLoopback(host: host) {
            writeStandardError("warning: konektor mcp listens on \(host), beyond this machine; anyone who holds the token can use your workspace through it\n")
        }
        let gateway = HTTPGateway(configuration: .init(host: host, port: port, token: token, limits: limits), opener: opener, version: version)
        let (host, json) = (host.contains(":") ? "[\(host)]" : host, json)
        try await gateway.run { port in
            let url = "http://\(host):\(port)/mcp"
            if json {
                writeStandardOutput(JSONValue.object(["url": .string(url), "tokenFile": .string(tokenURL.path)]).jsonString() + "\n")
            } else {
                writeStandardError("konektor mcp at \(url); clients send Authorization: Bearer <the token in \(tokenURL.path)>. Ctrl-C stops it.\n")
            }
        }
    }

    /// The arguments a client starts `konektor mcp` with: the policy and `--supervised` as given here.
    func serverArguments() -> [String] {
        var arguments = ["mcp"]
        if let policy { arguments += ["--policy", policy] }
        if supervised { arguments.append("--supervised") }
        if yes { arguments.append("--yes") }
        return arguments
    }
}

extension McpCommand.ClientKind {
    var snippetClient: ClientConfigSnippet.Client {
        switch self {
        case .claude: .claude
        case .cursor: .cursor
        case .codex: .codex
        }
    }
}
