import AgentCore
import Foundation
import MCP

/// An MCP client and an ``MCPSessionServer`` connected in memory: the MCP layer alone, without a pipe or a socket (for `bench mcp`).
public struct InMemoryConnection: Sendable {
    public let client: Client
    public let server: MCPSessionServer

    public static func connect(opener: any SessionOpening, limits: MCPLimits, clientName: String = "konektor-bench", supportsElicitation: Bool = false) async throws
        -> InMemoryConnection
    {
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let server = MCPSessionServer(opener: opener, version: "bench", limits: limits)
        try await server.start(transport: serverSide)
        let client = Client(name: clientName, version: "1", capabilities: .init(elicitation: supportsElicitation ? .init() : nil))
        try await client.connect(transport: clientSide)
        return InMemoryConnection(client: client, server: server)
    }

    /// Calls a tool with JSON arguments; returns whether the result is an error.
    public func call(_ name: String, _ arguments: JSONObject) async throws -> Bool {
        let mcpArguments = Dictionary(arguments.map { ($0.key, $0.value.mcpValue) }, uniquingKeysWith: { a, _ in a })
        let result: (content: [Tool.Content], isError: Bool?) = try await client.callTool(name: name, arguments: mcpArguments)
        return result.isError ?? false
    }

    public func close() async {
        await client.disconnect()
        await server.close()
    }
}
