import AgentCore
import Foundation
import GRDB
import Logging
import SkillCatalog
import Synchronization

/// The Konektor Agent API over a SQLite database, independent of the HTTP server that carries it.
///
/// `respond` takes a method, a path, query pairs, headers and a body and
/// gives the status, headers and body the real API would: authentication,
/// rate limits, validation and the error envelope included.
public final class SandboxAPI: Sendable {
    let database: SandboxDatabase
    let clock: SandboxClock
    let limiter = RateLimiter()
    let cache = QueryCache()
    let rateLimitScale: Int
    let logger: Logger
    let identifiers: Mutex<SeededGenerator>
    public let seed: UInt64

    init(database: SandboxDatabase, clock: SandboxClock, seed: UInt64, rateLimitScale: Int, logger: Logger) {
        self.database = database
        self.clock = clock
        self.seed = seed
        self.rateLimitScale = max(1, rateLimitScale)
        self.logger = logger
        self.identifiers = Mutex(SeededGenerator(seed: seed ^ 0x6964_7321))
    }

    /// A response before it is written to the wire.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var contentType: String
        public var body: String
    }

    /// One incoming request in transport-neutral form.
    public struct Incoming: Sendable {
        public var method: String
        public var path: String
        /// The raw query string, without `?`.
        public var query: String
        public var authorization: String?
        public var contentType: String?
        public var body: [UInt8]?
        public var remoteAddress: String?

        public init(method: String, path: String, query: String = "", authorization: String? = nil, contentType: String? = nil, body: [UInt8]? = nil, remoteAddress: String? = nil) {
            self.method = method
            self.path = path
            self.query = query
            self.authorization = authorization
            self.contentType = contentType
            self.body = body
            self.remoteAddress = remoteAddress
        }
    }

    /// What an authenticated request may do and where its data lives.
    struct Caller {
        var keyId: String
        var workspace: WorkspaceRow
        var scopes: Set<String>
    }

    public func respond(to request: Incoming) async -> Reply {
        let requestId = UUID().uuidString.lowercased()
        if request.path == "/api/v2/agent/SKILL.md" {
            if request.method == "GET" || request.method == "HEAD" {
                return Reply(status: 200, headers: [], contentType: "text/markdown; charset=utf-8", body: SandboxRoutes.skillMarkdown)
            }
        }
        var headers: [(String, String)] = [("X-Request-Id", requestId)]
        do {
            let (endpoint, pathParameters) = try route(method: request.method, path: request.path)
            let caller = try await authenticate(request, headers: &headers)
            try authorize(caller, for: endpoint, remoteAddress: request.remoteAddress)
            let arguments = try arguments(for: endpoint, request: request, pathParameters: pathParameters)
            let (status, body, extra) = try await dispatch(endpoint, arguments: arguments, caller: caller)
            headers += extra
            return Reply(status: status, headers: headers, contentType: "application/json; charset=utf-8", body: body.jsonString())
        } catch let failure as APIFailure {
            headers += failure.headers.map { ($0.name.rawName, $0.value) }
            return Reply(status: Int(failure.status.code), headers: headers, contentType: "application/json; charset=utf-8", body: failure.envelope.jsonString())
        } catch {
            logger.error("internal error", metadata: ["request.id": "\(requestId)", "error": "\(error)"])
            let failure = APIFailure(status: .internalServerError, code: "INTERNAL_ERROR", message: "Unexpected server error (request id \(requestId))")
            return Reply(status: 500, headers: headers, contentType: "application/json; charset=utf-8", body: failure.envelope.jsonString())
        }
    }

    // MARK: Routing

    func route(method: String, path: String) throws(APIFailure) -> (Endpoint, [String: String]) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var allowed: [String] = []
        var literalAllowed: [String] = []
        if path == "/api/v2/agent/SKILL.md" { literalAllowed = ["GET", "HEAD"] }
        for endpoint in SandboxRoutes.catalog.endpoints where endpoint.isTool {
            let template = endpoint.pathTemplate.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard template.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var matched = true
            for (t, s) in zip(template, segments) {
                if t.hasPrefix(":") {
                    guard !s.isEmpty, let decoded = PercentEncoding.decode(s) else { matched = false; break }
                    parameters[String(t.dropFirst())] = decoded
                } else if t != s {
                    matched = false
                    break
                }
            }
            guard matched else { continue }
            if endpoint.method == method { return (endpoint, parameters) }
            // A literal route (`/leads/upsert`) outranks a parameter route (`/leads/:id`) for the Allow header.
            if endpoint.pathParameterNames.isEmpty { literalAllowed.append(endpoint.method) } else { allowed.append(endpoint.method) }
        }
        if !literalAllowed.isEmpty { allowed = literalAllowed }
        if !allowed.isEmpty {
            var failure = APIFailure(status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED",
                                     message: "\(method) is not supported on \(path); use \(allowed.joined(separator: " or "))")
            failure.headers[.allow] = allowed.joined(separator: ", ")
            throw failure
        }
        throw .notFound("No endpoint at \(method) \(path); see /api/v2/agent/SKILL.md for the routes")
    }

    // MARK: Authentication and authorization

    func authenticate(_ request: Incoming, headers: inout [(String, String)]) async throws -> Caller {
        let now = clock.now()
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let token = Self.bearerToken(request.authorization)
        let record = try await token.asyncFlatMap { token in try await self.key(hash: DemoSeed.hash(token)) }
        let bucket = record.map { "ws:\($0.workspace.id)" } ?? "ip:\(request.remoteAddress ?? "unknown")"
        let limit = (record.map { Self.rateLimit(plan: $0.workspace.plan) } ?? 60) * rateLimitScale
        let decision = limiter.consume(bucket: bucket, limit: limit, now: nowSeconds)
        headers += [("X-RateLimit-Limit", String(decision.limit)), ("X-RateLimit-Remaining", String(decision.remaining)), ("X-RateLimit-Reset", String(decision.reset))]
        guard decision.allowed else {
            var failure = APIFailure(status: .tooManyRequests, code: "RATE_LIMITED",
                                     message: "Rate limit of \(decision.limit) requests per minute exceeded; retry after \(decision.retryAfter) s")
            failure.headers[.retryAfter] = String(decision.retryAfter)
            throw failure
        }
        guard let authorization = request.authorization, !authorization.isEmpty else {
            throw APIFailure.unauthorized("Missing Authorization header; send 'Authorization: Bearer <api_key>'")
        }
        guard token != nil else { throw APIFailure.unauthorized("Malformed Authorization header; expected 'Bearer <api_key>'") }
        guard let record else { throw APIFailure.unauthorized("Invalid API key") }
        let nowMillis = Timestamps.millis(now)
        if let revoked = record.revokedAt, revoked <= nowMillis { throw APIFailure.unauthorized("API key has been revoked") }
        if let expires = record.expiresAt, expires <= nowMillis {
            throw APIFailure.unauthorized("API key expired at \(Timestamps.iso(expires))")
        }
        if !record.ipAllowlist.isEmpty, !IPAllowlist.allows(request.remoteAddress ?? "", entries: record.ipAllowlist) {
            throw APIFailure.forbidden("This API key may not be used from \(request.remoteAddress ?? "this address") (IP allowlist)")
        }
        return Caller(keyId: record.id, workspace: record.workspace, scopes: record.scopes)
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].count <= 256 else { return nil }
        return String(parts[1])
    }

    static func rateLimit(plan: String) -> Int {
        switch plan {
        case "starter": 60
        case "pro": 200
        case "enterprise": 600
        case "custom": 200
        default: 60
        }
    }

    func authorize(_ caller: Caller, for endpoint: Endpoint, remoteAddress: String?) throws(APIFailure) {
        if ["free", "trial"].contains(caller.workspace.plan) {
            throw .forbidden("The \(caller.workspace.plan) plan does not include the Agent API; upgrade to starter or above")
        }
        if let scope = endpoint.auth.scope, !caller.scopes.contains(scope) {
            throw .forbidden("API key lacks scope \(scope)", details: ["requiredScope": .string(scope)])
        }
    }

    // MARK: Arguments

    /// Query, path and body as one argument object, checked against the served catalog.
    func arguments(for endpoint: Endpoint, request: Incoming, pathParameters: [String: String]) throws(APIFailure) -> JSONObject {
        var arguments = JSONObject()
        for (name, value) in pathParameters { arguments[name] = .string(value) }
        var details = JSONObject()
        for pair in request.query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(parts[0], plusAsSpace: true),
                let value = PercentEncoding.decode(parts.count > 1 ? parts[1] : "", plusAsSpace: true)
            else {
                details[String(parts[0])] = "Malformed percent-encoding"
                continue
            }
            // Unknown query parameters are ignored, as the API does; known ones are checked.
            guard let parameter = endpoint.parameter(named: name), parameter.location == .query else { continue }
            if arguments[name] != nil { details[name] = "Given more than once"; continue }
            arguments[name] = .string(value)
        }
        if endpoint.isWrite {
            let body = try Self.jsonBody(request)
            for (key, value) in body {
                guard let parameter = endpoint.parameter(named: key), parameter.location == .body else {
                    details[key] = "Unknown field"
                    continue
                }
                arguments[key] = value
            }
        }
        switch SandboxRoutes.catalog.validate(tool: endpoint.toolName, arguments: arguments) {
        case .success(let call):
            guard details.isEmpty else { throw .validation(details) }
            return call.arguments
        case .failure(let error):
            for (key, value) in error.details where details[key] == nil { details[key] = value }
            throw .validation(details)
        }
    }

    static func jsonBody(_ request: Incoming) throws(APIFailure) -> JSONObject {
        let type = request.contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/json" else {
            throw .validation(["Content-Type": .string("Expected application/json, received \(request.contentType ?? "none")")])
        }
        guard let bytes = request.body, !bytes.isEmpty else { throw .validation(["body": "Required: a JSON object"]) }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw .validation(["body": .string("Malformed JSON: \(error.reason) at byte \(error.offset)")])
        }
        guard case .object(let object) = value else { throw .validation(["body": "Expected a JSON object"]) }
        return object
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
