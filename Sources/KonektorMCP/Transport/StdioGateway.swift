import Foundation
import Logging
import MCP

/// `konektor mcp` over standard input and output: one MCP session, which ends when the client closes the pipe.
public enum StdioGateway {
    /// Serves one MCP session on stdin/stdout until the client goes away, then ends the konektor session.
    public static func serve(opener: any SessionOpening, version: String, limits: MCPLimits) async throws {
        let server = MCPSessionServer(opener: opener, version: version, limits: limits)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await server.close()
    }
}
