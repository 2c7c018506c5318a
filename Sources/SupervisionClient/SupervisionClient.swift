import AgentCore
import Approvals
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The approvals backend of a runtime pointed at `konektor server` (docs/supervision-protocol.md).
///
/// Proposes over `POST /v1/runs…`, reads runs back, and claims and completes approved actions; the server
/// decides who may approve and signs each decision. The server's public key is pinned on first use
/// (``ServerKeyPin``) and every decision is verified against it by the session before anything is sent,
/// so an answer edited on the way, or a server whose key changed, cannot make a write go out.
public final class SupervisionClient: ApprovalBackend {
    public let server: ServiceURL
    let token: String
    let pin: ServerKeyPin
    let http: HTTPClient
    let pinned = Mutex<Curve25519.Signing.PublicKey?>(nil)

    /// A client for the server at `url` (origin only) with an agent's or a person's token.
    /// - Parameters:
    ///   - pin: where the server's decision key is pinned, and the key given explicitly, if any.
    public init(url: String, token: String, pin: ServerKeyPin) throws {
        do {
            server = try ServiceURL(parsing: url, variable: "KONEKTOR_SERVER_URL", allowPath: false, secret: true)
        } catch {
            throw SupervisionClientError.badURL("\(error)")
        }
        self.token = token
        self.pin = pin
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    public var location: String { server.origin }

    public func shutdown() async { try? await http.shutdown() }

    // MARK: The decision key

    /// The server's decision key, checked against the pin (pinned now on first use); fetched once per process.
    public func decisionKey() async throws -> Curve25519.Signing.PublicKey? {
        if let key = pinned.withLock({ $0 }) { return key }
        let info = try await call(.GET, "/v1/server", authorized: false)
        guard let served = info["publicKey"]?.stringValue else { throw SupervisionClientError.protocolViolation("GET /v1/server carries no publicKey") }
        let key = try pin.check(served: served)
        pinned.withLock { $0 = key }
        return key
    }

    // MARK: Proposing

    public func newRun(session: String, request: String) async throws -> String {
        let run = try await call(.POST, "/v1/runs", body: ["session": .string(session), "request": .string(String(request.prefix(2000)))])
        guard let id = run["runId"]?.stringValue else { throw SupervisionClientError.protocolViolation("POST /v1/runs answered without a runId") }
        return id
    }

    public func propose(_ proposal: PendingAction, maxPendingPerSession: Int?) async throws -> PendingAction {
        if let limit = maxPendingPerSession {
            // The server bounds the queue too (429); the session's own bound is checked before anything is stored.
            let waiting = try await list(all: false, session: proposal.proposer.session).filter { $0.state == .pending }.count
            guard waiting < limit else { throw ApprovalError.queueFull(session: proposal.proposer.session, limit: limit) }
        }
        let reply = try await call(.POST, "/v1/runs/\(Self.component(proposal.run))/actions", body: SupervisionWire.proposal(proposal),
                                   session: proposal.proposer.session)
        return try SupervisionWire.action(reply)
    }

    // MARK: Reading

    public func action(_ reference: String) async throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        guard let action = try await actions(ofRun: run).first(where: { $0.index == index }) else { throw ApprovalError.notFound(reference) }
        return action
    }

    public func actions(ofRun run: String) async throws -> [PendingAction] {
        let reply = try await call(.GET, "/v1/runs/\(Self.component(run))", reference: run)
        return try (reply["actions"]?.arrayValue ?? []).map(SupervisionWire.action)
    }

    public func list(all: Bool, session: String?) async throws -> [PendingAction] {
        var path = "/v1/runs?status=all"
        if let session { path += "&session=" + Self.component(session) }
        let runs = try await call(.GET, path)
        let actions = try (runs.arrayValue ?? []).flatMap { try ($0["actions"]?.arrayValue ?? []).map(SupervisionWire.action) }
        let shown = all ? actions : actions.filter { [.pending, .approved, .executing].contains($0.state) }
        return shown.sorted { ($0.createdAt, $1.index) > ($1.createdAt, $0.index) }
    }

    public func takeUnreportedExpirations() async throws -> [PendingAction] { [] }

    // MARK: Deciding and running

    public func decide(_ reference: String, approve: Bool, by person: String, note: String?) async throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        let reply = try await call(.POST, "/v1/runs/\(Self.component(run))/actions/\(index)/\(approve ? "approve" : "reject")",
                                   body: ["note": note.map(JSONValue.string) ?? .null], reference: reference)
        return try SupervisionWire.action(reply)
    }

    public func claim(_ reference: String) async throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        return try SupervisionWire.action(try await call(.POST, "/v1/runs/\(Self.component(run))/actions/\(index)/claim", body: [:], reference: reference))
    }

    public func complete(_ reference: String, executed: Bool, status: Int?, requestId: String?, result: JSONValue?, error: String?) async throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        let body: JSONValue = [
            "executed": .bool(executed), "status": status.map(JSONValue.int) ?? .null,
            "requestId": requestId.map(JSONValue.string) ?? .null, "error": error.map(JSONValue.string) ?? .null,
        ]
        var done = try SupervisionWire.action(try await call(.POST, "/v1/runs/\(Self.component(run))/actions/\(index)/complete", body: body, reference: reference))
        // The server keeps the outcome, not the API's answer; the session that ran it still hands the answer to its planner.
        done.result = result
        return done
    }

    /// Ends an approved action that will not be sent: claimed and completed as failed, so no other runner tries it.
    public func fail(_ reference: String, error: String) async throws {
        let current = try await action(reference)
        if current.state == .approved { _ = try await claim(reference) } else if current.state != .executing { return }
        _ = try await complete(reference, executed: false, status: nil, requestId: nil, result: nil, error: error)
    }

    // MARK: Plumbing

    /// `RUN/ACTION` → (run, index); the server names runs, so only the shape is checked.
    static func parse(_ reference: String) throws -> (String, Int) {
        guard let slash = reference.lastIndex(of: "/"), let index = Int(reference[reference.index(after: slash)...]), index >= 1,
            !reference[..<slash].isEmpty, !reference[..<slash].contains("/")
        else { throw ApprovalError.badReference(reference) }
        return (String(reference[..<slash]), index)
    }

    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? text
    }

    /// One request; the envelope's `data`, or the server's refusal as an ``ApprovalError``.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, authorized: Bool = true, reference: String = "",
              session: String = "") async throws -> JSONValue {
        var request = HTTPClientRequest(url: server.origin + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "konektor/0.1")
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.jsonString()))
        }
        let status: Int
        let text: String
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            status = Int(response.status.code)
            let bytes = try await response.body.collect(upTo: 16 << 20)
            text = String(buffer: bytes)
        } catch {
            throw SupervisionClientError.unreachable(server.origin, "\(error)")
        }
        let json = try? JSONValue(parsing: text)
        if (200..<300).contains(status), json?["success"] == .bool(true) { return json?["data"] ?? .null }
        let code = json?["error"]?["code"]?.stringValue ?? "HTTP_\(status)"
        let message = json?["error"]?["message"]?.stringValue ?? String(text.prefix(300))
        switch code {
        case "NOT_FOUND" where !reference.isEmpty: throw ApprovalError.notFound(reference)
        case "GONE" where !reference.isEmpty: throw ApprovalError.expired(reference)
        case "RATE_LIMITED" where !session.isEmpty: throw ApprovalError.server(code: code, message: message)
        default: throw ApprovalError.server(code: code, message: message)
        }
    }
}
