import AgentCore
import Approvals
import Foundation

/// The wire shapes the runtime sends and reads (docs/supervision-protocol.md): Proposal out, Action in.
public enum SupervisionWire {
    static func instant(_ date: Date) -> JSONValue { .string(UTCTimestamp.format(millis: PendingAction.millis(date))) }

    static func date(_ value: JSONValue?) -> Date? {
        value?.stringValue.flatMap(UTCTimestamp.parseMillis).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// The Proposal for `action`: what the server stores, digests and shows the approver.
    public static func proposal(_ action: PendingAction) -> JSONValue {
        [
            "tool": .string(action.tool), "arguments": .object(action.arguments), "method": .string(action.method), "path": .string(action.path),
            "query": action.query.map(JSONValue.object) ?? .null, "body": action.body.map(JSONValue.object) ?? .null,
            "current": action.current.map(JSONValue.object) ?? .null,
            "policy": ["name": .string(action.policyName), "hash": .string(action.policyHash)],
            "rule": .string(action.rule), "reason": .string(action.reason),
            "proposer": ["user": .string(action.proposer.user), "host": .string(action.proposer.host), "session": .string(action.proposer.session),
                         "pid": .int(Int(action.proposer.pid))],
            "baseURL": .string(action.baseURL), "keyFingerprint": .string(action.keyFingerprint), "expiresAt": instant(action.expiresAt),
        ]
    }

    /// An Action as the server sends it; its `decision` becomes ``PendingAction/signedDecision`` (and who decided, and the note).
    public static func action(_ json: JSONValue) throws -> PendingAction {
        guard let o = json.objectValue, let run = o["runId"]?.stringValue, let index = o["action"]?.intValue,
            let state = o["state"]?.stringValue.flatMap(PendingAction.State.init(rawValue:)),
            let created = date(o["createdAt"]), let expires = date(o["expiresAt"])
        else { throw SupervisionClientError.protocolViolation("an action without runId, action, state, createdAt or expiresAt") }
        let p = o["proposer"]?.objectValue ?? [:]
        var action = PendingAction(
            run: run, index: index, tool: o["tool"]?.stringValue ?? "", method: o["method"]?.stringValue ?? "", path: o["path"]?.stringValue ?? "",
            arguments: o["arguments"]?.objectValue ?? [:], body: o["body"]?.objectValue, current: o["current"]?.objectValue,
            decision: .approve, rule: o["rule"]?.stringValue ?? "", reason: o["reason"]?.stringValue ?? "",
            proposer: .init(user: p["user"]?.stringValue ?? "", host: p["host"]?.stringValue ?? "", session: p["session"]?.stringValue ?? "",
                            pid: Int32(clamping: p["pid"]?.intValue ?? 0), identity: p["identity"]?.stringValue ?? ""),
            baseURL: o["baseURL"]?.stringValue ?? "", keyFingerprint: o["keyFingerprint"]?.stringValue ?? "", createdAt: created, expiresAt: expires)
        action.state = state
        action.query = o["query"]?.objectValue
        action.policyName = o["policy"]?["name"]?.stringValue ?? ""
        action.policyHash = o["policy"]?["hash"]?.stringValue ?? ""
        if let decision = o["decision"], decision != .null {
            guard let signed = SignedDecision(json: decision) else { throw SupervisionClientError.protocolViolation("an action's decision is malformed") }
            action.signedDecision = signed
            action.decidedBy = signed.approver
            action.note = signed.note
            action.decidedAt = signed.decidedAt
        }
        action.executedAt = date(o["executedAt"])
        action.resultStatus = o["status"]?.intValue
        action.requestId = o["requestId"]?.stringValue
        action.error = o["error"]?.stringValue
        return action
    }
}
