import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP
import NIOCore

/// `konektor mcp --http`: MCP's streamable HTTP transport at `/mcp`, one konektor session per MCP session, behind a bearer token.
///
/// Each `initialize` without a session id starts an MCP session (its own ``MCPSessionServer``,
/// konektor session and limits); requests carrying its `Mcp-Session-Id` go to it; `DELETE` ends it.
/// Every request must carry `Authorization: Bearer TOKEN`; a body over the limit is refused with 413.
public actor HTTPGateway {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var token: String
        public var limits: MCPLimits
        /// MCP sessions open at once; an `initialize` beyond them is answered 503.
        public var maxSessions: Int
        /// An MCP session unused this long is closed (its konektor session ends).
        public var idleTimeout: Duration

        public init(host: String = "127.0.0.1", port: Int = 0, token: String, limits: MCPLimits = MCPLimits(), maxSessions: Int = 32,
                    idleTimeout: Duration = .seconds(30 * 60)) {
            self.host = host
            self.port = port
            self.token = token
            self.limits = limits
            self.maxSessions = maxSessions
            self.idleTimeout = idleTimeout
        }
    }

    struct Entry {
        let server: MCPSessionServer
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    let configuration: Configuration
    let opener: any SessionOpening
    let version: String
    var sessions: [String: Entry] = [:]
    let tokenDigest: SHA256.Digest

    public init(configuration: Configuration, opener: any SessionOpening, version: String) {
        self.configuration = configuration
        self.opener = opener
        self.version = version
        tokenDigest = SHA256.hash(data: Data(configuration.token.utf8))
    }

    /// Serves until SIGINT or SIGTERM; `onListening` receives the bound port once the socket is open.
    public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let router = Router()
        let endpoint = "/mcp"
        for method in [HTTPTypes.HTTPRequest.Method.post, .get, .delete] {
            router.on(RouterPath(endpoint), method: method) { [self] request, _ in await self.respond(request) }
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "konektor.mcp.http", factory: { _ in SwiftLogNoOpLogHandler() }))
        let sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                await self?.closeIdle()
            }
        }
        defer { sweeper.cancel() }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        await closeAll()
    }

    /// Whether the request carries the gateway's token (compared by digest, in constant time).
    func authorized(_ request: Hummingbird.Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        let offered = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
        return zip(Array(offered), Array(tokenDigest)).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    func respond(_ request: Hummingbird.Request) async -> Hummingbird.Response {
        guard authorized(request) else {
            return Self.plain(.unauthorized, "konektor mcp needs Authorization: Bearer TOKEN (the token in the file konektor mcp --http named)",
                              extra: [.wwwAuthenticate: "Bearer"])
        }
        let body: Data?
        do {
            var buffer = try await request.body.collect(upTo: configuration.limits.requestBytes)
            body = buffer.readableBytes == 0 ? nil : Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch {
            return Self.plain(.contentTooLarge, "an MCP request may carry at most \(configuration.limits.requestBytes) bytes")
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let mcpRequest = MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: request.uri.path)
        return Self.response(await route(mcpRequest))
    }

    /// Sends a request to its MCP session, or starts one for an `initialize`.
    func route(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        let sessionID = request.header(HTTPHeaderName.sessionID)
        if let sessionID, var entry = sessions[sessionID] {
            entry.lastUsed = .now
            sessions[sessionID] = entry
            let response = await entry.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions.removeValue(forKey: sessionID)
                await entry.server.close()
            }
            return response
        }
        if sessionID == nil, request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) {
            guard sessions.count < configuration.maxSessions else {
                return .error(statusCode: 503, .internalError("konektor mcp already serves \(configuration.maxSessions) MCP sessions; end one (DELETE) first"))
            }
            return await startSession(request)
        }
        if sessionID != nil { return .error(statusCode: 404, .invalidRequest("Not Found: no such MCP session (it ended or expired)")) }
        return .error(statusCode: 400, .invalidRequest("Bad Request: Missing \(HTTPHeaderName.sessionID) header"))
    }

    func startSession(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        let id = UUID().uuidString.lowercased()
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id))
        let server = MCPSessionServer(opener: opener, version: version, limits: configuration.limits)
        do {
            try await server.start(transport: transport)
        } catch {
            await server.close()
            return .error(statusCode: 500, .internalError("could not start an MCP session: \(error)"))
        }
        sessions[id] = Entry(server: server, transport: transport, lastUsed: .now)
        let response = await transport.handleRequest(request)
        if case .error = response {
            sessions.removeValue(forKey: id)
            await server.close()
        }
        return response
    }

    func closeIdle() async {
        let now = ContinuousClock.now
        for (id, entry) in sessions where now - entry.lastUsed > configuration.idleTimeout {
            sessions.removeValue(forKey: id)
            await entry.server.close()
        }
    }

    func closeAll() async {
        let all = sessions
        sessions = [:]
        for entry in all.values { await entry.server.close() }
    }

    /// Whether a body is one JSON-RPC `initialize` request (the only message that may start a session).
    static func isInitialize(_ body: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
        return object["method"] as? String == "initialize" && object["id"] != nil
    }

    /// Open MCP sessions, for tests and `bench`.
    public var sessionCount: Int { sessions.count }

    static func plain(_ status: HTTPTypes.HTTPResponse.Status, _ text: String, extra: HTTPFields = [:]) -> Hummingbird.Response {
        var headers = extra
        headers[.contentType] = "text/plain; charset=utf-8"
        return Hummingbird.Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func response(_ response: MCP.HTTPResponse) -> Hummingbird.Response {
        var headers = HTTPFields()
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: response.statusCode)
        if case .stream(let stream, _) = response {
            return Hummingbird.Response(status: status, headers: headers, body: ResponseBody(asyncSequence: stream.map { ByteBuffer(bytes: $0) }))
        }
        return Hummingbird.Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.bodyData ?? Data())))
    }
}

/// The session id the gateway chose, handed to the transport so both know it before `initialize` is answered.
struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}
