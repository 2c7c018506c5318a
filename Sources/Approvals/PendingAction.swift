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

    /// The same, with the verdict spelled as text (`"approve"`), for code written before the verdict was typed.
    @available(*, deprecated, message: "pass the verdict as Decision.Verdict (.approve)")
    public init(run: String, index: Int, tool: String, method: String, path: String, arguments: JSONObject, body: JSONObject?, current: JSONObject?,
                decision: String, rule: String, reason: String, proposer: Proposer, baseURL: String, keyFingerprint: String,
                createdAt: Date, expiresAt: Date) {
        self.init(run: run, index: index, tool: tool, method: method, path: path, arguments: arguments, body: body, current: current,
                  decision: Decision.Verdict(rawValue: decision) ?? .approve, rule: rule, reason: reason, proposer: proposer, baseURL: baseURL,
                  keyFingerprint: keyFingerprint, createdAt: createdAt, expiresAt: expiresAt)
    }

    /// The bytes the seal covers: everything that says what would be sent, where, on whose proposal, until when.
    var sealedBytes: [UInt8] {
        let sealed: JSONValue = [
            "run": .string(run), "index": .int(index), "tool": .string(tool), "method": .string(method), "path": .string(path),
            "arguments": .object(arguments), "body": body.map(JSONValue.object) ?? .null, "current": current.map(JSONValue.object) ?? .null,
            "baseURL": .string(baseURL), "keyFingerprint": .string(keyFingerprint), "session": .string(proposer.session),
            "expiresAt": .int(Int(expiresAt.timeIntervalSince1970 * 1000)),
        ]
        return Array(sealed.jsonString(.canonical).utf8)
    }

    /// The action as `approvals show --json` and the audit log describe it.
    public var jsonValue: JSONValue {
        func instant(_ date: Date?) -> JSONValue { date.map { .string(UTCTimestamp.format(millis: Int64($0.timeIntervalSince1970 * 1000))) } ?? .null }
        return [
            "run": .string(run), "action": .int(index), "reference": .string(reference), "state": .string(state.rawValue),
            "tool": .string(tool), "method": .string(method), "path": .string(path), "arguments": .object(arguments),
            "body": body.map(JSONValue.object) ?? .null, "current": current.map(JSONValue.object) ?? .null,
            "decision": .string(decision.rawValue), "rule": .string(rule), "reason": .string(reason),
            "proposer": ["user": .string(proposer.user), "host": .string(proposer.host), "session": .string(proposer.session), "pid": .int(Int(proposer.pid))],
            "baseURL": .string(baseURL), "createdAt": instant(createdAt), "expiresAt": instant(expiresAt),
            "decidedBy": decidedBy.map(JSONValue.string) ?? .null, "decidedAt": instant(decidedAt), "note": note.map(JSONValue.string) ?? .null,
            "executedAt": instant(executedAt), "status": resultStatus.map(JSONValue.int) ?? .null,
            "requestId": requestId.map(JSONValue.string) ?? .null, "error": error.map(JSONValue.string) ?? .null,
        ]
    }
}
