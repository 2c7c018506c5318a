import AgentCore
import Approvals
import Foundation

/// An action as the server stores it: the shared ``PendingAction`` value and who claimed it.
public struct StoredAction: Sendable, Hashable {
    public var action: PendingAction
    /// The identity (token name) that claimed the action to send it; only it may complete it.
    public var claimedBy: String?

    public init(action: PendingAction, claimedBy: String? = nil) {
        self.action = action
        self.claimedBy = claimedBy
    }

    /// The digest of the action as stored now, computed by the server itself.
    public var digest: ActionDigest { ActionDigest(of: action) }

    /// The immutable part of the action, as the `document` column keeps it: what was proposed, never what became of it.
    var document: JSONValue {
        let a = action
        return [
            "tool": .string(a.tool), "arguments": .object(a.arguments), "method": .string(a.method), "path": .string(a.path),
            "query": a.query.map(JSONValue.object) ?? .null, "body": a.body.map(JSONValue.object) ?? .null,
            "current": a.current.map(JSONValue.object) ?? .null,
            "policy": ["name": .string(a.policyName), "hash": .string(a.policyHash)],
            "decision": .string(a.decision), "rule": .string(a.rule), "reason": .string(a.reason),
            "proposer": [
                "user": .string(a.proposer.user), "host": .string(a.proposer.host), "session": .string(a.proposer.session),
                "pid": .int(Int(a.proposer.pid)), "identity": .string(a.proposer.identity),
            ],
            "baseURL": .string(a.baseURL), "keyFingerprint": .string(a.keyFingerprint),
        ]
    }

    /// The mutable columns of one stored row, as both back ends read and write them.
    struct Columns: Sendable, Hashable {
        var run: String
        var index: Int
        var state: String
        var createdAt: Int64
        var expiresAt: Int64
        var document: String
        var decision: String?
        var claimedBy: String?
        var executedAt: Int64?
        var status: Int?
        var requestId: String?
        var error: String?
    }

    var columns: Columns {
        Columns(
            run: action.run, index: action.index, state: action.state.rawValue, createdAt: PendingAction.millis(action.createdAt),
            expiresAt: PendingAction.millis(action.expiresAt), document: document.jsonString(.canonical),
            decision: action.signedDecision.map { $0.jsonValue.jsonString(.canonical) }, claimedBy: claimedBy,
            executedAt: action.executedAt.map(PendingAction.millis), status: action.resultStatus, requestId: action.requestId, error: action.error)
    }

    /// Rebuilds a stored row; throws when the row is not one this server wrote.
    init(columns c: Columns) throws(SupervisionError) {
        guard let document = try? JSONValue(parsing: c.document), let d = document.objectValue,
            let state = PendingAction.State(rawValue: c.state),
            let verdict = d["decision"]?.stringValue.flatMap(Decision.Verdict.init(rawValue:))
        else { throw .internal("the stored action \(c.run)/\(c.index) is unreadable") }
        func text(_ key: String) -> String { d[key]?.stringValue ?? "" }
        let proposer = d["proposer"]?.objectValue ?? [:]
        var action = PendingAction(
            run: c.run, index: c.index, tool: text("tool"), method: text("method"), path: text("path"),
            arguments: d["arguments"]?.objectValue ?? [:], body: d["body"]?.objectValue, current: d["current"]?.objectValue,
            decision: verdict, rule: text("rule"), reason: text("reason"),
            proposer: .init(user: proposer["user"]?.stringValue ?? "", host: proposer["host"]?.stringValue ?? "",
                            session: proposer["session"]?.stringValue ?? "", pid: Int32(clamping: proposer["pid"]?.intValue ?? 0),
                            identity: proposer["identity"]?.stringValue ?? ""),
            baseURL: text("baseURL"), keyFingerprint: text("keyFingerprint"),
            createdAt: Date(millis: c.createdAt), expiresAt: Date(millis: c.expiresAt))
        action.query = d["query"]?.objectValue
        action.policyName = d["policy"]?["name"]?.stringValue ?? ""
        action.policyHash = d["policy"]?["hash"]?.stringValue ?? ""
        action.state = state
        if let text = c.decision {
            guard let json = try? JSONValue(parsing: text), let decision = SignedDecision(json: json) else {
                throw .internal("the stored decision of \(c.run)/\(c.index) is unreadable")
            }
            action.signedDecision = decision
            action.decidedBy = decision.approver
            action.decidedAt = decision.decidedAt
            action.note = decision.note
        }
        action.executedAt = c.executedAt.map(Date.init(millis:))
        action.resultStatus = c.status
        action.requestId = c.requestId
        action.error = c.error
        self.init(action: action, claimedBy: c.claimedBy)
    }
}

extension Date {
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
