import AgentCore
import Approvals
import AuditLog
import Crypto
import Foundation
import Logging

/// The supervision server's API, web page and witness, independent of the HTTP server that carries them.
///
/// `respond` never throws and never traps on what a client sends: every
/// failure is an answer in the Konektor envelope.
public final class SupervisionAPI: Sendable {
    public let store: any SupervisionStore
    let key: Curve25519.Signing.PrivateKey
    public let options: SupervisionOptions
    let now: @Sendable () -> Date
    let webhook: WebhookNotifier?
    let sessions = WebSessions()
    let witness: WitnessStore?
    let logger: Logger
    public static let version = "1"

    public init(store: any SupervisionStore, key: Curve25519.Signing.PrivateKey, options: SupervisionOptions, webhook: WebhookNotifier? = nil,
                logger: Logger = Logger(label: "konektor.server"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.key = key
        self.options = options
        self.webhook = webhook
        self.logger = logger
        self.now = now
        witness = options.witnessDirectory.map { WitnessStore(directory: $0, name: options.witnessName, key: key, now: now) }
    }

    /// The decision key's public half, which runtimes pin.
    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }
    /// The first 16 hex digits of the SHA-256 of the raw public key.
    public var keyId: String { String(Hex.encode(Array(SHA256.hash(data: key.publicKey.rawRepresentation))).prefix(16)) }

    /// An authenticated caller: the token's name and scopes.
    struct Caller: Sendable {
        var name: String
        var scopes: Set<TokenScope>
        func require(_ scope: TokenScope) throws(SupervisionError) {
            guard scopes.contains(scope) || (scope == .read && scopes.contains(.approve)) else {
                throw .forbidden("this token lacks the \(scope.rawValue) scope (it has \(scopes.sorted().map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    public func respond(to request: HTTPExchange.Request) async -> HTTPExchange.Reply {
        do {
            return try await route(request)
        } catch let failure as SupervisionError {
            if request.path == "/" || request.path.hasPrefix("/web/") || request.path == "/sign-in" || request.path == "/sign-out" {
                return .text(failure.code.status, WebPage.errorPage(failure), type: "text/html; charset=utf-8", headers: WebPage.securityHeaders)
            }
            return .json(failure.code.status, failure.envelope)
        } catch {
            let id = UUID().uuidString.lowercased()
            logger.error("internal error", metadata: ["request.id": "\(id)", "error": "\(error)"])
            return .json(500, SupervisionError(.internal, "Unexpected server error (request id \(id))").envelope)
        }
    }

    func route(_ request: HTTPExchange.Request) async throws -> HTTPExchange.Reply {
        let s = request.path.split(separator: "/").map(String.init)
        let method = request.method
        switch s.first ?? "" {
        case "":
            guard method == "GET" || method == "HEAD" else { throw notAllowed(["GET"]) }
            return try await webIndex(request)
        case "app.js" where s.count == 1:
            return .text(200, WebPage.script, type: "text/javascript; charset=utf-8", headers: [("Cache-Control", "no-store")])
        case "sign-in" where s.count == 1:
            guard method == "POST" else { throw notAllowed(["POST"]) }
            return try await webSignIn(request)
        case "sign-out" where s.count == 1:
            guard method == "POST" else { throw notAllowed(["POST"]) }
            return try await webSignOut(request)
        case "web" where s.count == 2 && s[1] == "pending":
            return try await webPending(request)
        case "web" where s.count == 2 && s[1] == "decide":
            guard method == "POST" else { throw notAllowed(["POST"]) }
            return try await webDecide(request)
        case "witness" where s.count == 2 && s[1] == "checkpoint":
            return try witnessCheckpoint(request)
        case "v1":
            return try await routeV1(request, Array(s.dropFirst()))
        default:
            throw SupervisionError.notFound("no route \(method) \(request.path)")
        }
    }

    func routeV1(_ request: HTTPExchange.Request, _ s: [String]) async throws -> HTTPExchange.Reply {
        let method = request.method
        if s == ["server"] {
            guard method == "GET" else { throw notAllowed(["GET"]) }
            return ok(["publicKey": .string(publicKey.rawRepresentation.base64EncodedString()), "keyId": .string(keyId), "version": .string(Self.version)])
        }
        let caller = try await authenticate(request)
        switch (s.count, s.first ?? "") {
        case (1, "runs"):
            if method == "POST" { return ok(try await createRun(caller, try Self.json(request))) }
            guard method == "GET" else { throw notAllowed(["GET", "POST"]) }
            return ok(try await listRuns(caller, request.queryItems))
        case (1, "events"):
            guard method == "GET" else { throw notAllowed(["GET"]) }
            return ok(try await events(caller, request.queryItems))
        case (2, "runs"):
            guard method == "GET" else { throw notAllowed(["GET"]) }
            return ok(ActionWire.json(try await visibleRun(caller, s[1])))
        case (3, "runs") where s[2] == "actions":
            guard method == "POST" else { throw notAllowed(["POST"]) }
            return ok(ActionWire.json(try await appendAction(caller, run: s[1], try Self.json(request))))
        case (4, "runs") where s[2] == "actions":
            guard method == "GET" else { throw notAllowed(["GET"]) }
            return ok(ActionWire.json(try await visibleAction(caller, run: s[1], index: Self.index(s[3]))))
        case (5, "runs") where s[2] == "actions":
            guard method == "POST" else { throw notAllowed(["POST"]) }
            let index = try Self.index(s[3])
            switch s[4] {
            case "approve", "reject":
                let note = try Self.note(request)
                let verdict: SignedDecision.Verdict = s[4] == "approve" ? .approved : .rejected
                return ok(ActionWire.json(try await decide(caller, run: s[1], index: index, verdict: verdict, note: note)))
            case "claim": return ok(ActionWire.json(try await claim(caller, run: s[1], index: index)))
            case "complete": return ok(ActionWire.json(try await complete(caller, run: s[1], index: index, try Self.json(request))))
            default: throw SupervisionError.notFound("no route \(method) \(request.path)")
            }
        default:
            throw SupervisionError.notFound("no route \(method) \(request.path)")
        }
    }

    // MARK: Helpers

    func ok(_ data: JSONValue) -> HTTPExchange.Reply { .json(200, JSONValue.object(["success": true, "data": data])) }

    func notAllowed(_ methods: [String]) -> SupervisionError {
        SupervisionError(.methodNotAllowed, "use \(methods.joined(separator: " or "))", details: ["allow": .array(methods.map(JSONValue.string))])
    }

    static func json(_ request: HTTPExchange.Request) throws(SupervisionError) -> JSONValue {
        guard !request.body.isEmpty else { throw .validation(["body": "required, a JSON object"]) }
        do { return try JSONValue(parsing: request.body) } catch { throw .validation(["body": .string("not JSON: \(error)")], message: "The body is not JSON") }
    }

    static func index(_ text: String) throws(SupervisionError) -> Int {
        guard let index = Int(text), index >= 1 else { throw .validation(["actionIndex": "a whole number from 1"]) }
        return index
    }

    static func note(_ request: HTTPExchange.Request) throws(SupervisionError) -> String? {
        guard !request.body.isEmpty else { return nil }
        let json = try json(request)
        guard let object = json.objectValue else { throw .validation(["body": "must be an object: {\"note\": …}"]) }
        switch object["note"] {
        case nil, .null?: return nil
        case .string(let note)?:
            guard note.count <= 2000 else { throw .validation(["note": "at most 2000 characters"]) }
            return note.isEmpty ? nil : note
        default: throw .validation(["note": "must be a string"])
        }
    }

    func authenticate(_ request: HTTPExchange.Request) async throws -> Caller {
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("bearer ") else {
            throw SupervisionError.unauthorized("send a server token as Authorization: Bearer kst_… (konektor server token create)")
        }
        return try await caller(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
    }

    func caller(token: String) async throws -> Caller {
        guard token.hasPrefix(TokenIssuer.prefix), let record = try await store.token(hash: TokenIssuer.hash(token)) else {
            throw SupervisionError.unauthorized("unknown token")
        }
        guard !record.isRevoked else { throw SupervisionError.unauthorized("the token \(record.name) was revoked") }
        return Caller(name: record.name, scopes: record.scopes)
    }
}
