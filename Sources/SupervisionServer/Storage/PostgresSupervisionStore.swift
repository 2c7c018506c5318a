import AgentCore
import Approvals
import Crypto
import Foundation
import Logging
import PostgresNIO

/// The team store: one PostgreSQL database shared by any number of servers; the decision key in its `meta` table.
public final class PostgresSupervisionStore: SupervisionStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    public let location: PostgresLocation

    public init(_ location: PostgresLocation, logger: Logger = Logger(label: "konektor.server.postgres")) {
        self.location = location
        self.logger = logger
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// A transaction whose refusals (``SupervisionError``) reach the caller as they are, not wrapped by PostgresNIO.
    func transaction<T: Sendable>(_ body: nonisolated(nonsending) (PostgresConnection) async throws -> sending T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let refusal = error.closureError as? SupervisionError { throw refusal }
            throw error
        }
    }

    /// Serialises schema changes of servers starting together.
    static let migrationLock = 0x6b6f_6e65

    public func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            for statement in [
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE IF NOT EXISTS tokens (name TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                """
                CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, session TEXT NOT NULL, request TEXT NOT NULL,
                    identity TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE IF NOT EXISTS actions (run_id TEXT NOT NULL REFERENCES runs(run_id), idx INTEGER NOT NULL, session TEXT NOT NULL,
                    state TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, document TEXT NOT NULL, decision TEXT,
                    claimed_by TEXT, executed_at BIGINT, status INTEGER, request_id TEXT, error TEXT, PRIMARY KEY (run_id, idx))
                """,
                "CREATE INDEX IF NOT EXISTS actions_state ON actions(state, expires_at)",
                "CREATE INDEX IF NOT EXISTS actions_session ON actions(session, state, expires_at)",
                """
                CREATE TABLE IF NOT EXISTS events (seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, kind TEXT NOT NULL,
                    run_id TEXT, idx INTEGER, identity TEXT NOT NULL, data TEXT NOT NULL)
                """,
            ] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    // MARK: Tokens

    public func createToken(_ token: TokenRecord) async throws {
        try await transaction { c in
            let inserted = try await c.query("""
                INSERT INTO tokens (name, hash, scopes, created_at) VALUES (\(token.name), \(token.hash), \(token.scopeText), \(PendingAction.millis(token.createdAt)))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect().count
            guard inserted == 1 else { throw SupervisionError.conflict("a token named \(token.name) exists (revoked tokens keep their name); choose another name") }
            try await Self.insert(ServerEvent(time: token.createdAt, kind: .tokenCreated, run: nil, action: nil, identity: token.name,
                                              data: ["scopes": .array(token.scopes.sorted().map { .string($0.rawValue) })]), c, logger)
        }
    }

    static func tokens(_ rows: PostgresRowSequence) async throws -> [TokenRecord] {
        var out: [TokenRecord] = []
        for try await (name, hash, scopes, created, revoked) in rows.decode((String, String, String, Int64, Int64?).self) {
            out.append(TokenRecord(name: name, hash: hash, scopes: TokenRecord.scopes(from: scopes), createdAt: Date(millis: created), revokedAt: revoked.map(Date.init(millis:))))
        }
        return out
    }

    public func token(hash: String) async throws -> TokenRecord? {
        try await Self.tokens(client.query("SELECT name, hash, scopes, created_at, revoked_at FROM tokens WHERE hash = \(hash)", logger: logger)).first
    }

    public func tokens() async throws -> [TokenRecord] {
        try await Self.tokens(client.query("SELECT name, hash, scopes, created_at, revoked_at FROM tokens ORDER BY name", logger: logger))
    }

    public func revokeToken(name: String, at: Date) async throws -> Bool {
        try await transaction { c in
            let changed = try await c.query("UPDATE tokens SET revoked_at = \(PendingAction.millis(at)) WHERE name = \(name) AND revoked_at IS NULL RETURNING 1",
                                            logger: logger).collect().count
            guard changed == 1 else { return false }
            try await Self.insert(ServerEvent(time: at, kind: .tokenRevoked, run: nil, action: nil, identity: name), c, logger)
            return true
        }
    }

    // MARK: Runs and actions

    public func createRun(_ run: RunRecord) async throws {
        try await client.query("""
            INSERT INTO runs (run_id, session, request, identity, created_at)
            VALUES (\(run.id), \(run.session), \(run.request), \(run.identity), \(PendingAction.millis(run.createdAt)))
            """, logger: logger)
    }

    static let actionColumns = "run_id, idx, state, created_at, expires_at, document, decision, claimed_by, executed_at, status, request_id, error"

    static func actions(_ rows: PostgresRowSequence) async throws -> [StoredAction] {
        var out: [StoredAction] = []
        for try await row in rows {
            let (run, index, state, created, expires, document, decision, claimedBy, executedAt, status, requestId, error) =
                try row.decode((String, Int32, String, Int64, Int64, String, String?, String?, Int64?, Int32?, String?, String?).self)
            out.append(try StoredAction(columns: .init(
                run: run, index: Int(index), state: state, createdAt: created, expiresAt: expires, document: document, decision: decision,
                claimedBy: claimedBy, executedAt: executedAt, status: status.map(Int.init), requestId: requestId, error: error)))
        }
        return out
    }

    func runs(where condition: PostgresQuery) async throws -> [RunRecord] {
        var heads: [RunRecord] = []
        for try await (id, session, request, identity, created) in try await client.query(condition, logger: logger).decode((String, String, String, String, Int64).self) {
            heads.append(RunRecord(id: id, session: session, request: request, identity: identity, createdAt: Date(millis: created)))
        }
        guard !heads.isEmpty else { return [] }
        let ids = heads.map(\.id)
        let actions = try await Self.actions(client.query(
            "SELECT \(unescaped: Self.actionColumns) FROM actions WHERE run_id = ANY(\(ids)) ORDER BY run_id, idx", logger: logger))
        let byRun = Dictionary(grouping: actions, by: \.action.run)
        return heads.map { head in
            var run = head
            run.actions = byRun[head.id] ?? []
            return run
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        try await runs(where: "SELECT run_id, session, request, identity, created_at FROM runs WHERE run_id = \(id)").first
    }

    public func runHeader(id: String) async throws -> RunRecord? {
        let rows = try await client.query("SELECT run_id, session, request, identity, created_at FROM runs WHERE run_id = \(id)", logger: logger)
        for try await (id, session, request, identity, created) in rows.decode((String, String, String, String, Int64).self) {
            return RunRecord(id: id, session: session, request: request, identity: identity, createdAt: Date(millis: created))
        }
        return nil
    }

    public func action(run: String, index: Int) async throws -> StoredAction? {
        try await Self.actions(client.query(
            "SELECT \(unescaped: Self.actionColumns) FROM actions WHERE run_id = \(run) AND idx = \(Int32(index))", logger: logger)).first
    }

    public func runs(_ filter: RunFilter) async throws -> [RunRecord] {
        var query: PostgresQuery = "SELECT run_id, session, request, identity, created_at FROM runs WHERE TRUE"
        var sql = query.sql
        var binds = query.binds
        func add(_ clause: String, _ value: String) {
            binds.append(value)
            sql += " AND " + clause.replacingOccurrences(of: "?", with: "$\(binds.count)")
        }
        if let state = filter.state { add("run_id IN (SELECT run_id FROM actions WHERE state = ?)", state.rawValue) }
        if let session = filter.session { add("session = ?", session) }
        if let identity = filter.identity { add("identity = ?", identity) }
        binds.append(Int64(filter.limit))
        sql += " ORDER BY created_at DESC, run_id LIMIT $\(binds.count)"
        query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await runs(where: query)
    }

    public func appendAction(run: String, maxPending: Int, now: Date, _ make: @Sendable (Int) -> PendingAction) async throws -> StoredAction {
        try await transaction { c in
            // The run row is locked so two proposals to one run get distinct indexes.
            guard let session = try await c.query("SELECT session FROM runs WHERE run_id = \(run) FOR UPDATE", logger: logger)
                .collect().first?.decode(String.self)
            else { throw SupervisionError.notFound("no run \(run)") }
            // One lock per session, so concurrent proposals to the session's runs cannot both pass the bound.
            try await c.query("SELECT pg_advisory_xact_lock(hashtext(\(session)))", logger: logger)
            let waiting = try await c.query(
                "SELECT COUNT(*) FROM actions WHERE session = \(session) AND state = 'pending' AND expires_at > \(PendingAction.millis(now))", logger: logger)
                .collect().first?.decode(Int64.self) ?? 0
            guard waiting < maxPending else {
                throw SupervisionError(.rateLimited, "session \(session) already has \(waiting) actions waiting for a decision (at most \(maxPending)); decide or let them expire first",
                                       details: ["pending": .int(Int(waiting)), "limit": .int(maxPending)])
            }
            let last = try await c.query("SELECT COALESCE(MAX(idx), 0) FROM actions WHERE run_id = \(run)", logger: logger).collect().first?.decode(Int32.self) ?? 0
            let index = Int(last) + 1
            let stored = StoredAction(action: make(index))
            let col = stored.columns
            try await c.query("""
                INSERT INTO actions (run_id, idx, session, state, created_at, expires_at, document)
                VALUES (\(col.run), \(Int32(col.index)), \(session), \(col.state), \(col.createdAt), \(col.expiresAt), \(col.document))
                """, logger: logger)
            try await Self.insert(ServerEvent(time: now, kind: .proposed, run: run, action: index, identity: stored.action.proposer.identity,
                                              data: ["digest": .string(stored.digest.hex), "tool": .string(stored.action.tool)]), c, logger)
            return stored
        }
    }

    public func transition(run: String, index: Int, _ change: @Sendable (StoredAction) -> ActionTransition) async throws -> StoredAction {
        let logger = logger
        let (result, failure) = try await transaction { c -> (StoredAction, SupervisionError?) in
            // FOR UPDATE: a concurrent transition waits here and then reads the committed state.
            guard let stored = try await Self.actions(c.query(
                "SELECT \(unescaped: Self.actionColumns) FROM actions WHERE run_id = \(run) AND idx = \(Int32(index)) FOR UPDATE", logger: logger)).first
            else { throw SupervisionError.notFound("no action \(run)/\(index)") }
            let transition = change(stored)
            guard let updated = transition.updated else { throw transition.failure ?? .internal("no change") }
            try await Self.write(updated, from: stored.action.state, c, logger)
            if let event = transition.event { try await Self.insert(event, c, logger) }
            return (updated, transition.failure)
        }
        if let failure { throw failure }
        return result
    }

    static func write(_ updated: StoredAction, from state: PendingAction.State, _ c: PostgresConnection, _ logger: Logger) async throws {
        let col = updated.columns
        let changed = try await c.query("""
            UPDATE actions SET state = \(col.state), decision = \(col.decision), claimed_by = \(col.claimedBy), executed_at = \(col.executedAt),
                status = \(col.status.map(Int32.init)), request_id = \(col.requestId), error = \(col.error)
            WHERE run_id = \(col.run) AND idx = \(Int32(col.index)) AND state = \(state.rawValue) RETURNING 1
            """, logger: logger).collect().count
        guard changed == 1 else { throw SupervisionError.conflict("\(col.run)/\(col.index) changed while this request was deciding; nothing was written") }
    }

    public func expireDue(now: Date) async throws -> Int {
        let logger = logger
        // An indexed probe outside any transaction; the sweep (and its row locks) runs only when something is due.
        let anyDue = try await client.query(
            "SELECT 1 FROM actions WHERE state IN ('pending', 'approved') AND expires_at <= \(PendingAction.millis(now)) LIMIT 1", logger: logger)
            .collect().count > 0
        guard anyDue else { return 0 }
        return try await transaction { c in
            let due = try await Self.actions(c.query("""
                SELECT \(unescaped: Self.actionColumns) FROM actions WHERE state IN ('pending', 'approved') AND expires_at <= \(PendingAction.millis(now))
                FOR UPDATE SKIP LOCKED
                """, logger: logger))
            var count = 0
            for stored in due {
                guard let transition = ActionRules.expiry(stored, now: now), let updated = transition.updated else { continue }
                try await Self.write(updated, from: stored.action.state, c, logger)
                if let event = transition.event { try await Self.insert(event, c, logger) }
                count += 1
            }
            return count
        }
    }

    // MARK: Events

    /// Held from an event's insert to its transaction's end, so event numbers are handed out in commit order.
    static let eventLock = 0x6b6f_6576

    /// Inserts an event; call inside a transaction.
    ///
    /// `/v1/events?after=N` readers move their cursor past every number they see. Without the lock, a transaction
    /// could take number 10, commit after another took 11, and a reader that saw 11 would never see 10. The lock
    /// covers only the insert and the commit, the last steps of every write.
    static func insert(_ event: ServerEvent, _ c: PostgresConnection, _ logger: Logger) async throws {
        try await c.query("SELECT pg_advisory_xact_lock(\(Int64(eventLock)))", logger: logger)
        try await c.query("""
            INSERT INTO events (time, kind, run_id, idx, identity, data)
            VALUES (\(PendingAction.millis(event.time)), \(event.kind.rawValue), \(event.run), \(event.action.map(Int32.init)), \(event.identity), \(event.data.jsonString(.canonical)))
            """, logger: logger)
    }

    public func appendEvent(_ event: ServerEvent) async throws {
        let logger = logger
        try await transaction { c in try await Self.insert(event, c, logger) }
    }

    public func events(after seq: Int64, limit: Int) async throws -> [ServerEvent] {
        var out: [ServerEvent] = []
        let rows = try await client.query("SELECT seq, time, kind, run_id, idx, identity, data FROM events WHERE seq > \(seq) ORDER BY seq LIMIT \(Int64(limit))", logger: logger)
        for try await (seq, time, kind, run, index, identity, data) in rows.decode((Int64, Int64, String, String?, Int32?, String, String).self) {
            out.append(ServerEvent(seq: seq, time: Date(millis: time), kind: ServerEvent.Kind(rawValue: kind) ?? .proposed, run: run, action: index.map(Int.init),
                                   identity: identity, data: (try? JSONValue(parsing: data)) ?? .null))
        }
        return out
    }

    // MARK: Decision key

    public func decisionKey() async throws -> Curve25519.Signing.PrivateKey {
        let fresh = Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
        // The first server to start makes the key; every later one (and any racing it) reads the same row.
        try await client.query("INSERT INTO meta (key, value) VALUES ('decision_key', \(fresh)) ON CONFLICT (key) DO NOTHING", logger: logger)
        guard let text = try await client.query("SELECT value FROM meta WHERE key = 'decision_key'", logger: logger).collect().first?.decode(String.self),
            let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw SupervisionError.internal("the decision key in \(location)'s meta table is unreadable") }
        return key
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}
