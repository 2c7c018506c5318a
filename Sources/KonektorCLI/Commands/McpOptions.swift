import ArgumentParser
import KonektorKit

/// What `konektor mcp` is told: parsed by `konektor` (for its help, completion and checks) and again by `konektor-mcp`,
/// which serves.
package struct McpOptions: ParsableArguments {
    /// Clients whose registration snippet `--print-config` prints.
    package enum ClientKind: String, ExpressibleByArgument, CaseIterable, Sendable {
        case claude, cursor, codex
    }

    @Option(help: ArgumentHelp("The policy: a name or a YAML file (default: KONEKTOR_POLICY, config.yaml, then 'default').", valueName: "name|file"),
            completion: .custom { _, _, _ in PolicyLoading.completionNames() })
    package var policy: String?

    @Flag(help: "Every write waits for a person's approval (konektor approvals), whatever the policy says.")
    package var supervised = false

    @Flag(help: "Send writes that need confirmation without asking, when the policy permits unattended writes and the client cannot ask.")
    package var yes = false

    @Flag(help: "Serve streamable HTTP at /mcp instead of stdio (bearer token required).")
    package var http = false

    @Option(help: "The address --http listens on (loopback unless told otherwise).")
    package var host = "127.0.0.1"

    @Option(help: "The port --http listens on (0: any free port).")
    package var port = 8765

    @Option(name: .customLong("token-file"), help: ArgumentHelp("The file holding --http's bearer token (created, mode 0600, when missing).", valueName: "path"))
    package var tokenFile: String?

    @Option(name: .customLong("turn-gap"), help: ArgumentHelp("Calls less than this many seconds apart are one turn, for the policy's calls-per-turn limit.", valueName: "seconds"))
    package var turnGap: Double = 10

    @Option(name: .customLong("expires-in"), help: ArgumentHelp("How long a pending write waits for a decision before it expires.", valueName: "seconds"))
    package var expiresIn = 1800

    @Flag(help: "With --http, print one JSON line (url, tokenFile) when listening.")
    package var json = false

    @Option(name: .customLong("print-config"), help: ArgumentHelp("Print the snippet that registers konektor mcp with a client, and exit.", valueName: "claude|cursor|codex"))
    package var printConfig: ClientKind?

    @Option(help: ArgumentHelp("The command --print-config names (default: konektor, found on PATH).", valueName: "path"))
    package var command = "konektor"

    package init() {}

    package func validate() throws {
        guard turnGap > 0 else { throw ValidationError("--turn-gap must be more than 0 seconds") }
        guard (1...7 * 24 * 3600).contains(expiresIn) else { throw ValidationError("--expires-in must be between 1 second and 7 days") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    /// The command line that gives these options again, every one spelt out (for `konektor-mcp`).
    package var arguments: [String] {
        var out: [String] = []
        if let policy { out += ["--policy", policy] }
        if supervised { out.append("--supervised") }
        if yes { out.append("--yes") }
        if http { out.append("--http") }
        out += ["--host", host, "--port", String(port)]
        if let tokenFile { out += ["--token-file", tokenFile] }
        out += ["--turn-gap", String(turnGap), "--expires-in", String(expiresIn)]
        if json { out.append("--json") }
        if let printConfig { out += ["--print-config", printConfig.rawValue] }
        out += ["--command", command]
        return out
    }

    /// The arguments a client starts `konektor mcp` with: the policy and `--supervised` as given here.
    package func serverArguments() -> [String] {
        var arguments = ["mcp"]
        if let policy { arguments += ["--policy", policy] }
        if supervised { arguments.append("--supervised") }
        if yes { arguments.append("--yes") }
        return arguments
    }
}
