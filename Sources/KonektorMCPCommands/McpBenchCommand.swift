import AgentCore
import AgentRuntime
import ArgumentParser
import Foundation
import KonektorCLI
import KonektorKit
import KonektorMCP
import Sandbox

/// `konektor bench mcp` (`konektor-mcp bench`): what the MCP layer adds to a call, over the same call made on the session directly.
struct McpBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time tool calls through the MCP layer (SDK client and server in memory) against the same calls on the session directly."
    )

    @OptionGroup var options: McpBenchOptions

    var calls: Int { options.calls }

    func run() async throws {
        let sandbox = try await SandboxServer.start(SandboxConfiguration(port: 0, seed: 42, leadCount: 2000, rateLimitScale: 1000))
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temp) }
        let environment = [
            "KONEKTOR_API_KEY": sandbox.key("full"), "KONEKTOR_BASE_URL": sandbox.baseURL,
            "XDG_CONFIG_HOME": temp.appendingPathComponent("config").path, "XDG_STATE_HOME": temp.appendingPathComponent("state").path,
            "HOME": temp.path, "PATH": "/usr/bin:/bin",
        ]
        let opener = CommandLineSessionOpener(policyName: "analyst", policyOrigin: "bench", supervised: false, assumeYes: false,
                                              approvalLifetime: .seconds(60), environment: environment)
        // A gap shorter than any two calls: every call is a turn of its own, so the per-turn limit never interferes.
        let limits = MCPLimits(turnGap: 1e-9)
        do {
            let kinds: [(String, String, JSONObject)] = [
                ("read (getWorkspace: gate, client, sandbox, audit)", "getWorkspace", [:]),
                ("denied (updateLead under analyst: gate and audit, no network)", "updateLead", ["id": "lead_1", "status": "won"]),
            ]
            print("per call, \(calls) calls of each kind after 20 to warm up (audit log on disk)")
            for (label, tool, arguments) in kinds {
                let direct = try await directCalls(opener: opener, tool: tool, arguments: arguments)
                let mcp = try await mcpCalls(opener: opener, limits: limits, tool: tool, arguments: arguments)
                print("\(label)")
                print("  direct Session.perform   \(direct)")
                print("  MCP (SDK client, memory) \(mcp)")
                print("  MCP layer overhead       p50 \(Timing.format(mcp.percentile(0.5) - direct.percentile(0.5)))  "
                    + "min \(Timing.format((mcp.sorted.first ?? .zero) - (direct.sorted.first ?? .zero)))")
            }
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
    }

    func directCalls(opener: CommandLineSessionOpener, tool: String, arguments: JSONObject) async throws -> Timing {
        let client = MCPClientIdentity(name: "konektor-bench", version: "1", supportsElicitation: false)
        let opened = try await opener.open(MCPSessionRequest(client: client, planner: ClientPlanner(client: client), confirmer: nil, unconfirmableWrite: "no one to ask"))
        var samples: [Duration] = []
        let clock = ContinuousClock()
        for i in 0..<(calls + 20) {
            let start = clock.now
            _ = try await opened.session.perform(ToolCall(id: "b\(i)", name: tool, arguments: arguments), request: "bench", callsThisTurn: 0)
            if i >= 20 { samples.append(clock.now - start) }
        }
        await opened.close()
        return Timing(samples)
    }

    func mcpCalls(opener: CommandLineSessionOpener, limits: MCPLimits, tool: String, arguments: JSONObject) async throws -> Timing {
        let connection = try await InMemoryConnection.connect(opener: opener, limits: limits)
        var samples: [Duration] = []
        let clock = ContinuousClock()
        for i in 0..<(calls + 20) {
            let start = clock.now
            _ = try await connection.call(tool, arguments)
            if i >= 20 { samples.append(clock.now - start) }
        }
        await connection.close()
        return Timing(samples)
    }
}
