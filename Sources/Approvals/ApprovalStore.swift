import AgentCore
import Crypto
import Foundation
import GRDB
import Synchronization

/// Pending actions in SQLite, shared by every konektor process of a user: the proposer, the approvers, the executor.
///
/// Every change of state is one conditional UPDATE inside a write
/// transaction, so two approvers racing, or two processes trying to run the
/// same approved action, see exactly one winner. Each action carries an HMAC
/// seal over what it would send; a row edited behind konektor's back is
/// refused at every step.
public final class ApprovalStore: Sendable {
    let path: String
    /// Opened on first use: a session that never proposes a write never creates or opens the file.
    let opened = Mutex<(any DatabaseWriter)?>(nil)
    let sealKey: SymmetricKey
    let now: @Sendable () -> Date

    /// The store at `path` (created when first used); `secret` keys the seals (konektor derives it from the audit HMAC key).
    public init(path: String, secret: SymmetricKey, now: @escaping @Sendable () -> Date = { Date() }) {
        self.path = path
        sealKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("konektor approvals seal v1".utf8), using: secret))
        self.now = now
    }

    func database() throws -> any DatabaseWriter {
        try opened.withLock { opened in
            if let opened { return opened }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Self.migrator.migrate(pool)
                opened = pool
                return pool
            } catch {
                throw ApprovalError.storage("\(path): \(error)")
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY, session TEXT NOT NULL, request TEXT NOT NULL, createdAt REAL NOT NULL
                );
                CREATE TABLE actions (
                    run TEXT NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,
                    tool TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, arguments TEXT NOT NULL, body TEXT, current TEXT,
                    decision TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL,
                    proposerUser TEXT NOT NULL, proposerHost TEXT NOT NULL, proposerSession TEXT NOT NULL, proposerPid INTEGER NOT NULL,
                    baseURL TEXT NOT NULL, keyFingerprint TEXT NOT NULL, createdAt REAL NOT NULL, expiresAt REAL NOT NULL,
                    state TEXT NOT NULL, decidedBy TEXT, decidedAt REAL, note TEXT, executedAt REAL,
                    resultStatus INTEGER, requestId TEXT, result TEXT, error TEXT, seal TEXT NOT NULL,
                    expiryReported INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (run, idx)
                );
                CREATE INDEX actions_state ON actions(state, expiresAt);
                CREATE INDEX actions_session ON actions(proposerSession);
                """)
        }
        return migrator
    }

    // MARK: Proposing

    /// Starts a run for one request of a session; its id is what people type.
    public func newRun(session: String, request: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let id = "run_" + String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        try write { db in
            try db.execute(sql: "INSERT INTO runs (id, session, request, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [id, session, String(request.prefix(2000)), self.now().timeIntervalSince1970])
        }
        return id
    }

    /// Stores a proposed action as pending, numbered after the run's others, sealed.
    public func propose(_ proposal: PendingAction) throws -> PendingAction {
        try write { db in
            var action = proposal
            action.index = (try Int.fetchOne(db, sql: "SELECT MAX(idx) FROM actions WHERE run = ?", arguments: [action.run]) ?? 0) + 1
            action.state = .pending
            action.seal = self.seal(action)
            try db.execute(sql: """
                INSERT INTO actions (run, idx, tool, method, path, arguments, body, current, decision, rule, reason,
                    proposerUser, proposerHost, proposerSession, proposerPid, baseURL, keyFingerprint, createdAt, expiresAt, state, seal)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    action.run, action.index, action.tool, action.method, action.path, JSONValue.object(action.arguments).jsonString(),
                    action.body.map { JSONValue.object($0).jsonString() }, action.current.map { JSONValue.object($0).jsonString() },
                    action.decision.rawValue, action.rule, action.reason, action.proposer.user, action.proposer.host, action.proposer.session,
                    Int(action.proposer.pid), action.baseURL, action.keyFingerprint, action.createdAt.timeIntervalSince1970,
                    action.expiresAt.timeIntervalSince1970, action.state.rawValue, action.seal,
                ])
            return action
        }
    }

    // MARK: Reading

    /// Pending and approved actions (and, with `all`, every action), newest first; expired ones are marked so first.
    /// (Whoever records expirations takes them with ``takeUnreportedExpirations()``.)
    public func list(all: Bool = false, session: String? = nil) throws -> [PendingAction] {
        try expireDue()
        return try read { db in
            var sql = "SELECT * FROM actions"
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if !all { clauses.append("state IN ('pending', 'approved', 'executing')") }
            if let session {
                clauses.append("proposerSession = ?")
                arguments += [session]
            }
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY createdAt DESC, idx ASC"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.action(from:))
        }
    }

    public func action(_ reference: String) throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        _ = try expireDue()
        guard let action = try read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM actions WHERE run = ? AND idx = ?", arguments: [run, index]).map(Self.action(from:))
        }) else { throw ApprovalError.notFound(reference) }
        return action
    }

    /// Every action of a run, in order.
    public func actions(ofRun run: String) throws -> [PendingAction] {
        _ = try expireDue()
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM actions WHERE run = ? ORDER BY idx", arguments: [run]).map(Self.action(from:))
        }
    }

    /// Splits `run_abc/2` into its run and action index.
    public static func parse(_ reference: String) throws -> (String, Int) {
        let parts = reference.split(separator: "/")
        guard parts.count == 2, parts[0].hasPrefix("run_"), let index = Int(parts[1]), index >= 1 else { throw ApprovalError.badReference(reference) }
        return (String(parts[0]), index)
    }

    // MARK: Deciding

    /// A person's decision; only a pending, unexpired, intact action can be decided, and only once.
    public func decide(_ reference: String, approve: Bool, by person: String, note: String?) throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        _ = try expireDue()
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM actions WHERE run = ? AND idx = ?", arguments: [run, index]) else {
                throw ApprovalError.notFound(reference)
            }
            var action = Self.action(from: row)
            guard self.seal(action) == action.seal else { throw ApprovalError.tampered(reference) }
            switch action.state {
            case .pending: break
            case .expired: throw ApprovalError.expired(reference)
            default: throw ApprovalError.alreadyDecided(reference, state: action.state, by: action.decidedBy)
            }
            let at = self.now()
            action.state = approve ? .approved : .rejected
            action.decidedBy = person
            action.decidedAt = at
            action.note = note
            try db.execute(sql: "UPDATE actions SET state = ?, decidedBy = ?, decidedAt = ?, note = ? WHERE run = ? AND idx = ? AND state = 'pending'",
                           arguments: [action.state.rawValue, person, at.timeIntervalSince1970, note, run, index])
            guard db.changesCount == 1 else { throw ApprovalError.alreadyDecided(reference, state: .approved, by: nil) }
            return action
        }
    }

    /// Expired actions whose expiry no one has recorded yet; each is handed out once, across processes, for the audit log.
    public func takeUnreportedExpirations() throws -> [PendingAction] {
        // Read first: a process polling for a decision must not hold the write lock on every look.
        guard try read({ db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM actions WHERE state = 'expired' AND expiryReported = 0)") ?? false })
        else { return [] }
        return try write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM actions WHERE state = 'expired' AND expiryReported = 0").map(Self.action(from:))
            try db.execute(sql: "UPDATE actions SET expiryReported = 1 WHERE state = 'expired' AND expiryReported = 0")
            return rows
        }
    }

    /// Marks pending actions past their time as expired; returns those this call expired.
    @discardableResult
    public func expireDue() throws -> [PendingAction] {
        let at = now().timeIntervalSince1970
        guard try read({ db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM actions WHERE state = 'pending' AND expiresAt <= ?)", arguments: [at]) ?? false })
        else { return [] }
        return try write { db in
            let due = try Row.fetchAll(db, sql: "SELECT * FROM actions WHERE state = 'pending' AND expiresAt <= ?", arguments: [at]).map(Self.action(from:))
            guard !due.isEmpty else { return [] }
            try db.execute(sql: "UPDATE actions SET state = 'expired', decidedAt = ? WHERE state = 'pending' AND expiresAt <= ?", arguments: [at, at])
            return due.map { var a = $0; a.state = .expired; return a }
        }
    }

    // MARK: Running

    /// Takes an approved, intact action for running; exactly one caller ever gets it.
    public func claim(_ reference: String) throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM actions WHERE run = ? AND idx = ?", arguments: [run, index]) else {
                throw ApprovalError.notFound(reference)
            }
            var action = Self.action(from: row)
            guard self.seal(action) == action.seal else { throw ApprovalError.tampered(reference) }
            guard action.state == .approved else { throw ApprovalError.notApproved(reference, state: action.state) }
            try db.execute(sql: "UPDATE actions SET state = 'executing' WHERE run = ? AND idx = ? AND state = 'approved'", arguments: [run, index])
            guard db.changesCount == 1 else { throw ApprovalError.notApproved(reference, state: .executing) }
            action.state = .executing
            return action
        }
    }

    /// Records what running a claimed action did.
    public func complete(_ reference: String, executed: Bool, status: Int?, requestId: String?, result: JSONValue?, error: String?) throws -> PendingAction {
        let (run, index) = try Self.parse(reference)
        let at = now()
        try write { db in
            try db.execute(sql: """
                UPDATE actions SET state = ?, executedAt = ?, resultStatus = ?, requestId = ?, result = ?, error = ?
                WHERE run = ? AND idx = ? AND state = 'executing'
                """, arguments: [executed ? "executed" : "failed", at.timeIntervalSince1970, status, requestId, result?.jsonString(), error, run, index])
        }
        return try action(reference)
    }

    /// Marks a pending or approved action failed without running it (its seal broke, the policy no longer allows it).
    public func fail(_ reference: String, error: String) throws {
        let (run, index) = try Self.parse(reference)
        try write { db in
            try db.execute(sql: "UPDATE actions SET state = 'failed', error = ?, executedAt = ? WHERE run = ? AND idx = ? AND state IN ('pending', 'approved', 'executing')",
                           arguments: [error, self.now().timeIntervalSince1970, run, index])
        }
    }

    // MARK: Plumbing

    func seal(_ action: PendingAction) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: action.sealedBytes, using: sealKey))
    }

    func read<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        do {
            return try database().read(body)
        } catch let error as ApprovalError {
            throw error
        } catch {
            throw ApprovalError.storage("\(error)")
        }
    }

    func write<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        do {
            return try database().write(body)
        } catch let error as ApprovalError {
            throw error
        } catch {
            throw ApprovalError.storage("\(error)")
        }
    }

    static func action(from row: Row) -> PendingAction {
        func object(_ column: String) -> JSONObject? {
            (row[column] as String?).flatMap { try? JSONValue(parsing: $0) }?.objectValue
        }
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        var action = PendingAction(
            run: row["run"], index: row["idx"], tool: row["tool"], method: row["method"], path: row["path"], arguments: object("arguments") ?? [:],
            body: object("body"), current: object("current"), decision: Decision.Verdict(rawValue: row["decision"]) ?? .deny, rule: row["rule"], reason: row["reason"],
            proposer: .init(user: row["proposerUser"], host: row["proposerHost"], session: row["proposerSession"], pid: Int32(row["proposerPid"] as Int)),
            baseURL: row["baseURL"], keyFingerprint: row["keyFingerprint"], createdAt: date("createdAt") ?? .distantPast, expiresAt: date("expiresAt") ?? .distantPast)
        action.state = PendingAction.State(rawValue: row["state"]) ?? .failed
        action.decidedBy = row["decidedBy"]
        action.decidedAt = date("decidedAt")
        action.note = row["note"]
        action.executedAt = date("executedAt")
        action.resultStatus = row["resultStatus"]
        action.requestId = row["requestId"]
        action.result = (row["result"] as String?).flatMap { try? JSONValue(parsing: $0) }
        action.error = row["error"]
        action.seal = row["seal"]
        return action
    }
}
