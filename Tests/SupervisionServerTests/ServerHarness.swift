import AgentCore
import Approvals
import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import SupervisionServer
import TestSupport

/// Which store a test runs against; the same suite runs against both.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }
}

/// A clock the tests move by hand.
final class TestClock: Sendable {
    let instant: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_402_800)) { instant = Mutex(start) }  // 2026-11-23T03:00:00Z
    func now() -> Date { instant.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// One answer from the server: status and parsed JSON.
struct Answer: Sendable {
    var status: Int
    var json: JSONValue
    var text: String
    var data: JSONValue { json["data"] ?? .null }
    var code: String? { json["error"]?["code"]?.stringValue }
}

/// A running server on a fresh database with three tokens: an agent (propose), alice (approve) and a reader (read).
final class ServerHarness: Sendable {
    let backend: Backend
    let running: RunningSupervisionServer
    let clock: TestClock
    let folder: TemporaryDirectory
    /// The SQLite file, or the PostgreSQL database's name.
    let database: String
    let storage: StoreLocation
    let agent: String
    let alice: String
    let reader: String

    init(backend: Backend, running: RunningSupervisionServer, clock: TestClock, folder: TemporaryDirectory, database: String, storage: StoreLocation,
         agent: String, alice: String, reader: String) {
        self.backend = backend
        self.running = running
        self.clock = clock
        self.folder = folder
        self.database = database
        self.storage = storage
        self.agent = agent
        self.alice = alice
        self.reader = reader
    }

    static func storage(_ backend: Backend, folder: TemporaryDirectory) async throws -> (StoreLocation, String) {
        switch backend {
        case .sqlite:
            let path = folder.appending("server.sqlite").path
            return (.sqlite(path: path), path)
        case .postgres:
            let cluster = try await PostgresCluster.start()
            let name = try await cluster.database()
            return (.postgres(PostgresLocation(url: cluster.url(name))!), name)
        }
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "test.server")
        logger.logLevel = .critical
        return logger
    }

    static func start(_ backend: Backend, options: SupervisionOptions = .init(), webhookBackoff: [Duration] = [.milliseconds(20), .milliseconds(40)],
                      storage givenStorage: (StoreLocation, String)? = nil, folder givenFolder: TemporaryDirectory? = nil) async throws -> ServerHarness {
        let folder = try givenFolder ?? TemporaryDirectory("konektor-server")
        let (storage, database): (StoreLocation, String)
        if let givenStorage { (storage, database) = givenStorage } else { (storage, database) = try await Self.storage(backend, folder: folder) }
        let clock = TestClock()
        let running = try await SupervisionServer.start(.init(
            storage: storage, options: options, logger: quietLogger(), now: { clock.now() }, webhookBackoff: webhookBackoff))
        let store = running.store
        // Names are per harness, so two servers on one database can each make their own.
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let agent = try await TokenAdministration.create(name: "agent-\(suffix)", scopes: [.propose], in: store, now: clock.now())
        let alice = try await TokenAdministration.create(name: "alice-\(suffix)", scopes: [.approve], in: store, now: clock.now())
        let reader = try await TokenAdministration.create(name: "reader-\(suffix)", scopes: [.read], in: store, now: clock.now())
        return ServerHarness(backend: backend, running: running, clock: clock, folder: folder, database: database, storage: storage,
                             agent: agent, alice: alice, reader: reader)
    }

    func stop(removeFolder: Bool = true) async {
        await running.shutdown()
        if removeFolder { folder.remove() }
    }

    var url: String { running.baseURL }

    // MARK: HTTP

    func request(_ method: HTTPMethod, _ path: String, token: String?, body: String? = nil, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let text = String(buffer: bytes)
        return Answer(status: Int(response.status.code), json: (try? JSONValue(parsing: text)) ?? .null, text: text)
    }

    func post(_ path: String, token: String?, _ body: JSONValue? = nil) async throws -> Answer {
        try await request(.POST, path, token: token, body: body?.jsonString())
    }

    func get(_ path: String, token: String?) async throws -> Answer { try await request(.GET, path, token: token) }

    // MARK: Fixtures

    func proposal(user: String = "budi", lead: String = "lead_1024", status: String = "qualified", expiresIn: TimeInterval = 3600) -> JSONValue {
        [
            "tool": "updateLead", "arguments": ["id": .string(lead), "status": .string(status)],
            "method": "PATCH", "path": .string("/api/v2/agent/leads/\(lead)"), "query": .null, "body": ["status": .string(status)],
            "current": ["status": "new"], "policy": ["name": "supervised", "hash": .string(String(repeating: "ab", count: 32))],
            "rule": "Policies/supervised.yaml:12", "reason": "writes wait for a person",
            "proposer": ["user": .string(user), "host": "agent-box", "session": "sess-1", "pid": 4242],
            "baseURL": "https://konektor.id", "keyFingerprint": "sha256:0011",
            "expiresAt": .string(UTCTimestamp.format(millis: PendingAction.millis(clock.now().addingTimeInterval(expiresIn)))),
        ]
    }

    /// Creates a run with one proposal; returns the run id.
    func propose(_ proposal: JSONValue? = nil, session: String = "sess-1", token: String? = nil) async throws -> String {
        let answer = try await post("/v1/runs", token: token ?? agent, ["session": .string(session), "request": "Update lead CRM-1024 status to qualified",
                                                                          "actions": [proposal ?? self.proposal()]])
        guard answer.status == 200, let id = answer.data["runId"]?.stringValue else { throw HarnessFailure("propose failed: \(answer.status) \(answer.text)") }
        return id
    }

    func publicKey() async throws -> Curve25519.Signing.PublicKey {
        let answer = try await get("/v1/server", token: nil)
        guard let text = answer.data["publicKey"]?.stringValue, let raw = Data(base64Encoded: text) else { throw HarnessFailure("no public key: \(answer.text)") }
        return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// Runs SQL against the store's database, behind the server's back (an attacker with database access).
    func sql(_ statement: String) async throws {
        switch backend {
        case .sqlite:
            let path = database
            try await CommandLineRunner.offload {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", path, statement]
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw HarnessFailure("sqlite edit failed") }
            }
        case .postgres:
            _ = try await PostgresCluster.start().sql(database, statement)
        }
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
