import AgentCore
import Foundation

/// A write that waits for a person: the exact call, what it would change, who proposed it, and what became of it.
///
/// Actions belong to a run (one request of a session) and are numbered from
/// 1 within it, as in the Agents API's run / action-index model; a person
/// refers to one as `RUN/ACTION`.
public struct PendingAction: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Waiting for a person.
        case pending
        /// A person said yes; not run yet.
        case approved
        case rejected
        /// Nobody decided in time; counts as rejected.
        case expired
        /// Claimed by one process and being sent. If that process dies here, the outcome is unknown and it is never re-run.
        case executing
        case executed
        /// Sent and refused, or not sent because something no longer held (policy, precondition, seal).
        case failed

        /// Whether no one will act on it any more.
        public var isFinal: Bool { [.rejected, .expired, .executed, .failed].contains(self) }
    }

    /// Who proposed the action.
    public struct Proposer: Sendable, Hashable {
        public var user: String
        public var host: String
        public var session: String
        public var pid: Int32
        /// The identity the supervision server authenticated the proposer as (its token's name); empty in local mode.
        public var identity: String

        public init(user: String, host: String, session: String, pid: Int32, identity: String = "") {
            self.user = user
            self.host = host
            self.session = session
            self.pid = pid
            self.identity = identity
        }
    }

    public var run: String
    public var index: Int
    public var tool: String
    public var method: String
    public var path: String
    /// The query the call sends, if any (writes in SKILL.md have none today; bound anyway).
    public var query: JSONObject? = nil
    /// The planner's arguments, exactly as validated; what an approval binds to.
    public var arguments: JSONObject
    public var body: JSONObject?
    /// The lead's values before the change, for the fields the call changes; checked again before the action runs.
    public var current: JSONObject?
    /// The policy's verdict that made the call wait (approve, or confirm/allow under `--supervised`).
    public var decision: Decision.Verdict
    public var rule: String
    public var reason: String
    /// The policy the action was proposed under, by name and by the SHA-256 (hex) of its document; the runner re-checks under it.
    public var policyName: String = ""
    public var policyHash: String = ""
    public var proposer: Proposer
    /// The API the action is for, and the fingerprint of the key that may send it.
    public var baseURL: String
    public var keyFingerprint: String
    public var createdAt: Date
    public var expiresAt: Date
    public var state: State
    public var decidedBy: String?
    public var decidedAt: Date?
    public var note: String?
    public var executedAt: Date?
    public var resultStatus: Int?
    public var requestId: String?
    public var result: JSONValue?
    public var error: String?
    /// The supervision server's signed decision; nil in local mode and while pending.
    public var signedDecision: SignedDecision? = nil
    /// HMAC over the fields above that define the action; a stored action that no longer matches it is refused.
    public var seal: String

    /// Whole milliseconds since 1970, the unit every digest, seal and wire timestamp uses.
    public static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// `RUN/ACTION`, as a person types it.
    public var reference: String { "\(run)/\(index)" }

    public init(run: String, index: Int, tool: String, method: String, path: String, arguments: JSONObject, body: JSONObject?, current: JSONObject?,
                decision: Decision.Verdict, rule: String, reason: String, proposer: Proposer, baseURL: String, keyFingerprint: String,
                createdAt: Date, expiresAt: Date) {
        self.run = run
        self.index = index
        self.tool = tool
        self.method = method
        self.path = path
        self.arguments = arguments
        self.body = body
        self.current = current
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.proposer = proposer
        self.baseURL = baseURL
        self.keyFingerprint = keyFingerprint
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        state = .pending
        seal = ""
    }

    /// The bytes the local store's seal covers (version 2): every stored field — what would be sent, where, on whose
    /// proposal, under which policy, until when — and its state and decision (who, when, the note) and outcome.
    ///
    /// So a row whose state was set back (an executed action made approved again), whose approver or note was
    /// rewritten, or whose policy was swapped, no longer matches and is refused.
    var sealedBytes: [UInt8] {
        func instant(_ date: Date?) -> JSONValue { date.map { .int(Int(Self.storedMillis($0))) } ?? .null }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let sealed: JSONValue = [
            "v": 2,
            "run": .string(run), "index": .int(index), "tool": .string(tool), "method": .string(method), "path": .string(path),
            "query": query.map(JSONValue.object) ?? .null,
            "arguments": .object(arguments), "body": body.map(JSONValue.object) ?? .null, "current": current.map(JSONValue.object) ?? .null,
            "decision": .string(decision.rawValue), "rule": .string(rule), "reason": .string(reason),
            "policy": ["name": .string(policyName), "hash": .string(policyHash)],
            "proposer": ["user": .string(proposer.user), "host": .string(proposer.host), "session": .string(proposer.session),
                         "pid": .int(Int(proposer.pid)), "identity": .string(proposer.identity)],
            "baseURL": .string(baseURL), "keyFingerprint": .string(keyFingerprint),
            "createdAt": instant(createdAt), "expiresAt": instant(expiresAt),
            "state": .string(state.rawValue), "decidedBy": text(decidedBy), "decidedAt": instant(decidedAt), "note": text(note),
            "executedAt": instant(executedAt), "status": resultStatus.map(JSONValue.int) ?? .null, "requestId": text(requestId),
            "result": result ?? .null, "error": text(error),
        ]
        return Array(sealed.jsonString(.canonical).utf8)
    }

    /// Milliseconds of an instant as the store keeps it (a REAL of seconds): rounded, so the value read back seals the same.
    static func storedMillis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The action as `approvals show --json` and the audit log describe it.
    public var jsonValue: JSONValue {
        func instant(_ date: Date?) -> JSONValue { date.map { .string(UTCTimestamp.format(millis: Int64($0.timeIntervalSince1970 * 1000))) } ?? .null }
        return [
            "run": .string(run), "action": .int(index), "reference": .string(reference), "state": .string(state.rawValue),
            "tool": .string(tool), "method": .string(method), "path": .string(path), "arguments": .object(arguments),
            "body": body.map(JSONValue.object) ?? .null, "current": current.map(JSONValue.object) ?? .null,
            "decision": .string(decision.rawValue), "rule": .string(rule), "reason": .string(reason),
            "query": query.map(JSONValue.object) ?? .null, "policy": ["name": .string(policyName), "hash": .string(policyHash)],
            "proposer": ["user": .string(proposer.user), "host": .string(proposer.host), "session": .string(proposer.session), "pid": .int(Int(proposer.pid)),
                         "identity": .string(proposer.identity)],
            "baseURL": .string(baseURL), "createdAt": instant(createdAt), "expiresAt": instant(expiresAt),
            "decidedBy": decidedBy.map(JSONValue.string) ?? .null, "decidedAt": instant(decidedAt), "note": note.map(JSONValue.string) ?? .null,
            "executedAt": instant(executedAt), "status": resultStatus.map(JSONValue.int) ?? .null,
            "requestId": requestId.map(JSONValue.string) ?? .null, "error": error.map(JSONValue.string) ?? .null,
            "signedDecision": signedDecision?.jsonValue ?? .null,
        ]
    }
}
