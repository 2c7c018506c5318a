import AgentCore
import Approvals
import Crypto
import Foundation
import GRDB

/// The embedded store: one SQLite file (WAL), its decision key in a 0600 file beside it; or all in memory.
public final class SQLiteSupervisionStore: SupervisionStore {
    let writer: any DatabaseWriter
    /// Where the decision key lives; nil for an in-memory database, whose key lives as long as the store.
    let keyFile: URL?
    let ephemeralKey = Curve25519.Signing.PrivateKey()

    /// Opens (creating when missing) the database at `path`; nil: in memory.
    public init(path: String?) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        if let path {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            writer = try DatabasePool(path: path, configuration: configuration)
            keyFile = URL(fileURLWithPath: path + ".decision-key")
        } else {
            writer = try DatabaseQueue(configuration: configuration)
            keyFile = nil
        }
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS tokens (name TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL,
            created_at INTEGER NOT NULL, revoked_at INTEGER);
        CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, session TEXT NOT NULL, request TEXT NOT NULL,
            identity TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS actions (run_id TEXT NOT NULL REFERENCES runs(run_id), idx INTEGER NOT NULL, session TEXT NOT NULL,
            state TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, document TEXT NOT NULL, decision TEXT,
            claimed_by TEXT, executed_at INTEGER, status INTEGER, request_id TEXT, error TEXT, PRIMARY KEY (run_id, idx));
        CREATE INDEX IF NOT EXISTS actions_state ON actions(state, expires_at);
        CREATE INDEX IF NOT EXISTS actions_session ON actions(session, state, expires_at);
        CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, kind TEXT NOT NULL,
            run_id TEXT, idx INTEGER, identity TEXT NOT NULL, data TEXT NOT NULL);
        """

    public func migrate() async throws {
        try await writer.write { db in try db.execute(sql: Self.schema) }
    }

    // MARK: Tokens

    public func createToken(_ token: TokenRecord) async throws {
        try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tokens WHERE name = ?", arguments: [token.name]) == true {
                throw SupervisionError.conflict("a token named \(token.name) exists (revoked tokens keep their name); choose another name")
            }
            try db.execute(sql: "INSERT INTO tokens (name, hash, scopes, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)",
                           arguments: [token.name, token.hash, token.scopeText, PendingAction.millis(token.createdAt)])
            try Self.insert(ServerEvent(time: token.createdAt, kind: .tokenCreated, run: nil, action: nil, identity: token.name,
                                        data: ["scopes": .array(token.scopes.sorted().map { .string($0.rawValue) })]), db)
        }
    }

    static func token(_ row: Row) -> TokenRecord {
        TokenRecord(name: row["name"], hash: row["hash"], scopes: TokenRecord.scopes(from: row["scopes"]),
                    createdAt: Date(millis: row["created_at"]), revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millis:)))
    }

    public func token(hash: String) async throws -> TokenRecord? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE hash = ?", arguments: [hash]).map(Self.token) }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY name").map(Self.token) }
    }

    public func revokeToken(name: String, at: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [PendingAction.millis(at), name])
            guard db.changesCount == 1 else { return false }
            try Self.insert(ServerEvent(time: at, kind: .tokenRevoked, run: nil, action: nil, identity: name), db)
            return true
        }
    }

    // MARK: Runs and actions

    public func createRun(_ run: RunRecord) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO runs (run_id, session, request, identity, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run.id, run.session, run.request, run.identity, PendingAction.millis(run.createdAt)])
        }
    }

    static func action(_ row: Row) throws -> StoredAction {
        try StoredAction(columns: .init(
            run: row["run_id"], index: row["idx"], state: row["state"], createdAt: row["created_at"], expiresAt: row["expires_at"],
            document: row["document"], decision: row["decision"], claimedBy: row["claimed_by"], executedAt: row["executed_at"],
            status: row["status"], requestId: row["request_id"], error: row["error"]))
    }

    static func runs(_ rows: [Row], _ db: Database) throws -> [RunRecord] {
        guard !rows.isEmpty else { return [] }
        let ids: [String] = rows.map { $0["run_id"] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var byRun: [String: [StoredAction]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM actions WHERE run_id IN (\(placeholders)) ORDER BY run_id, idx", arguments: StatementArguments(ids)) {
            let action = try action(row)
            byRun[action.action.run, default: []].append(action)
        }
        return rows.map { row in
            let id: String = row["run_id"]
            return RunRecord(id: id, session: row["session"], request: row["request"], identity: row["identity"],
                             createdAt: Date(millis: row["created_at"]), actions: byRun[id] ?? [])
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        try await writer.read { db in
            try Self.runs(Row.fetchAll(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [id]), db).first
        }
    }

    public func runHeader(id: String) async throws -> RunRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [id]).map { row in
                RunRecord(id: row["run_id"], session: row["session"], request: row["request"], identity: row["identity"],
                          createdAt: Date(millis: row["created_at"]))
            }
        }
    }

    public func action(run: String, index: Int) async throws -> StoredAction? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM actions WHERE run_id = ? AND idx = ?", arguments: [run, index]).map(Self.action)
        }
    }

    public func runs(_ filter: RunFilter) async throws -> [RunRecord] {
        try await writer.read { db in
            var clauses: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let state = filter.state {
                clauses.append("run_id IN (SELECT run_id FROM actions WHERE state = ?)")
                arguments.append(state.rawValue)
            }
            if let session = filter.session {
                clauses.append("session = ?")
                arguments.append(session)
            }
            if let identity = filter.identity {
                clauses.append("identity = ?")
                arguments.append(identity)
            }
            let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments.append(filter.limit)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM runs \(condition) ORDER BY created_at DESC, run_id LIMIT ?",
                                        arguments: StatementArguments(arguments))
            return try Self.runs(rows, db)
        }
    }

    public func appendAction(run: String, maxPending: Int, now: Date, _ make: @Sendable (Int) -> PendingAction) async throws -> StoredAction {
        try await writer.write { db in
            guard let session = try String.fetchOne(db, sql: "SELECT session FROM runs WHERE run_id = ?", arguments: [run]) else {
                throw SupervisionError.notFound("no run \(run)")
            }
            let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM actions WHERE session = ? AND state = 'pending' AND expires_at > ?",
                                           arguments: [session, PendingAction.millis(now)]) ?? 0
            guard waiting < maxPending else {
                throw SupervisionError(.rateLimited, "session \(session) already has \(waiting) actions waiting for a decision (at most \(maxPending)); decide or let them expire first",
                                       details: ["pending": .int(waiting), "limit": .int(maxPending)])
            }
            let index = (try Int.fetchOne(db, sql: "SELECT MAX(idx) FROM actions WHERE run_id = ?", arguments: [run]) ?? 0) + 1
            let stored = StoredAction(action: make(index))
            let c = stored.columns
            try db.execute(sql: """
                INSERT INTO actions (run_id, idx, session, state, created_at, expires_at, document) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.run, c.index, session, c.state, c.createdAt, c.expiresAt, c.document])
            try Self.insert(ServerEvent(time: now, kind: .proposed, run: run, action: index, identity: stored.action.proposer.identity,
                                        data: ["digest": .string(stored.digest.hex), "tool": .string(stored.action.tool)]), db)
            return stored
        }
    }

    public func transition(run: String, index: Int, _ change: @Sendable (StoredAction) -> ActionTransition) async throws -> StoredAction {
        let (result, failure) = try await writer.write { db -> (StoredAction, SupervisionError?) in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM actions WHERE run_id = ? AND idx = ?", arguments: [run, index]) else {
                throw SupervisionError.notFound("no action \(run)/\(index)")
            }
            let stored = try Self.action(row)
            let transition = change(stored)
            guard let updated = transition.updated else { throw transition.failure ?? .internal("no change") }
            try Self.write(updated, from: stored.action.state, db)
            if let event = transition.event { try Self.insert(event, db) }
            return (updated, transition.failure)
        }
        if let failure { throw failure }
        return result
    }

    /// The conditional update every transition ends with.
    static func write(_ updated: StoredAction, from state: PendingAction.State, _ db: Database) throws {
        let c = updated.columns
        try db.execute(sql: """
            UPDATE actions SET state = ?, decision = ?, claimed_by = ?, executed_at = ?, status = ?, request_id = ?, error = ?
            WHERE run_id = ? AND idx = ? AND state = ?
            """, arguments: [c.state, c.decision, c.claimedBy, c.executedAt, c.status, c.requestId, c.error, c.run, c.index, state.rawValue])
        guard db.changesCount == 1 else { throw SupervisionError.conflict("\(c.run)/\(c.index) changed while this request was deciding; nothing was written") }
    }

    static let dueCondition = "state IN ('pending', 'approved') AND expires_at <= ?"

    public func expireDue(now: Date) async throws -> Int {
        // Readers run beside the writer (WAL); the write lock is taken only when something is due.
        let anyDue = try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM actions WHERE \(Self.dueCondition) LIMIT 1", arguments: [PendingAction.millis(now)]) == true
        }
        guard anyDue else { return 0 }
        return try await writer.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM actions WHERE \(Self.dueCondition)",
                                        arguments: [PendingAction.millis(now)])
            var count = 0
            for row in rows {
                let stored = try Self.action(row)
                guard let transition = ActionRules.expiry(stored, now: now), let updated = transition.updated else { continue }
                try Self.write(updated, from: stored.action.state, db)
                if let event = transition.event { try Self.insert(event, db) }
                count += 1
            }
            return count
        }
    }

    // MARK: Events

    static func insert(_ event: ServerEvent, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO events (time, kind, run_id, idx, identity, data) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [PendingAction.millis(event.time), event.kind.rawValue, event.run, event.action, event.identity, event.data.jsonString(.canonical)])
    }

    public func appendEvent(_ event: ServerEvent) async throws {
        try await writer.write { db in try Self.insert(event, db) }
    }

    public func events(after seq: Int64, limit: Int) async throws -> [ServerEvent] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit]).map { row in
                let data: String = row["data"]
                return ServerEvent(seq: row["seq"], time: Date(millis: row["time"]), kind: ServerEvent.Kind(rawValue: row["kind"]) ?? .proposed,
                                   run: row["run_id"], action: row["idx"], identity: row["identity"], data: (try? JSONValue(parsing: data)) ?? .null)
            }
        }
    }

    // MARK: Decision key

    public func decisionKey() async throws -> Curve25519.Signing.PrivateKey {
        guard let keyFile else { return ephemeralKey }
        return try DecisionKeyFile.loadOrCreate(keyFile)
    }

    public func close() async { try? (writer as? DatabasePool)?.close() }
}
