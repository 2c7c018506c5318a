import AgentCore

/// The snippet that registers `konektor mcp` with an MCP client: Claude (Desktop's config, Code's `.mcp.json`), Cursor, Codex.
///
/// It names `KONEKTOR_API_KEY` and never holds its value: each client is told to take it from its own environment.
public struct ClientConfigSnippet: Sendable {
    public enum Client: String, Sendable, CaseIterable {
        case claude, cursor, codex
    }

    public var command: String
    public var arguments: [String]
    /// Variables the snippet passes through, when set here (their names only, never their values).
    public var passed: [String]

    public init(command: String, arguments: [String], environment: [String: String]) {
        self.command = command
        self.arguments = arguments
        passed = ["KONEKTOR_API_KEY"] + ["KONEKTOR_BASE_URL", "KONEKTOR_POLICY"].filter { environment[$0].map { !$0.isEmpty } ?? false }
    }

    public func render(for client: Client) -> String {
        switch client {
        case .claude:
            // Claude Code expands ${VAR} in .mcp.json; Claude Desktop passes the variables of its own environment.
            return servers(env: JSONObject(passed.map { ($0, .string("${\($0)}")) }))
        case .cursor:
            return servers(env: JSONObject(passed.map { ($0, .string("${env:\($0)}")) }))
        case .codex:
            let args = arguments.map(Self.toml).joined(separator: ", ")
            return """
                # ~/.codex/config.toml
                [mcp_servers.konektor]
                command = \(Self.toml(command))
                args = [\(args)]
                env_vars = [\(passed.map(Self.toml).joined(separator: ", "))]

                """
        }
    }

    func servers(env: JSONObject) -> String {
        let server: JSONObject = ["command": .string(command), "args": .array(arguments.map(JSONValue.string)), "env": .object(env)]
        return JSONValue.object(["mcpServers": .object(["konektor": .object(server)])]).jsonString(.pretty) + "\n"
    }

    /// A TOML basic string.
    static func toml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
