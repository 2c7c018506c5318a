import AgentCore
import Approvals
import Foundation

/// The wire shapes of actions and runs (docs/supervision-protocol.md).
public enum ActionWire {
    static func instant(_ date: Date?) -> JSONValue {
        date.map { .string(UTCTimestamp.format(millis: PendingAction.millis($0))) } ?? .null
    }

    public static func json(_ stored: StoredAction) -> JSONValue {
        let a = stored.action
        return [
            "runId": .string(a.run), "action": .int(a.index), "reference": .string(a.reference), "state": .string(a.state.rawValue),
            "tool": .string(a.tool), "arguments": .object(a.arguments), "method": .string(a.method), "path": .string(a.path),
            "query": a.query.map(JSONValue.object) ?? .null, "body": a.body.map(JSONValue.object) ?? .null,
            "current": a.current.map(JSONValue.object) ?? .null,
            "policy": ["name": .string(a.policyName), "hash": .string(a.policyHash)],
            "rule": .string(a.rule), "reason": .string(a.reason),
            "proposer": [
                "user": .string(a.proposer.user), "host": .string(a.proposer.host), "session": .string(a.proposer.session),
                "pid": .int(Int(a.proposer.pid)), "identity": .string(a.proposer.identity),
            ],
            "baseURL": .string(a.baseURL), "keyFingerprint": .string(a.keyFingerprint),
            "createdAt": instant(a.createdAt), "expiresAt": instant(a.expiresAt),
            "digest": .string(stored.digest.hex),
            "decision": a.signedDecision?.jsonValue ?? .null,
            "claimedBy": stored.claimedBy.map(JSONValue.string) ?? .null,
            "executedAt": instant(a.executedAt), "status": a.resultStatus.map(JSONValue.int) ?? .null,
            "requestId": a.requestId.map(JSONValue.string) ?? .null, "error": a.error.map(JSONValue.string) ?? .null,
        ]
    }

    public static func json(_ run: RunRecord) -> JSONValue {
        [
            "runId": .string(run.id), "session": .string(run.session), "request": .string(run.request),
            "identity": .string(run.identity), "createdAt": instant(run.createdAt), "status": .string(run.status),
            "actions": .array(run.actions.map(json)),
        ]
    }

    /// Rebuilds the shared action value from its wire shape, as a runtime does before verifying a decision.
    public static func action(from json: JSONValue) -> PendingAction? {
        guard let o = json.objectValue, let run = o["runId"]?.stringValue, let index = o["action"]?.intValue,
            let created = o["createdAt"]?.stringValue.flatMap(UTCTimestamp.parseMillis),
            let expires = o["expiresAt"]?.stringValue.flatMap(UTCTimestamp.parseMillis)
        else { return nil }
        let p = o["proposer"]?.objectValue ?? [:]
        var action = PendingAction(
            run: run, index: index, tool: o["tool"]?.stringValue ?? "", method: o["method"]?.stringValue ?? "", path: o["path"]?.stringValue ?? "",
            arguments: o["arguments"]?.objectValue ?? [:], body: o["body"]?.objectValue, current: o["current"]?.objectValue,
            decision: .approve, rule: o["rule"]?.stringValue ?? "", reason: o["reason"]?.stringValue ?? "",
            proposer: .init(user: p["user"]?.stringValue ?? "", host: p["host"]?.stringValue ?? "", session: p["session"]?.stringValue ?? "",
                            pid: Int32(clamping: p["pid"]?.intValue ?? 0), identity: p["identity"]?.stringValue ?? ""),
            baseURL: o["baseURL"]?.stringValue ?? "", keyFingerprint: o["keyFingerprint"]?.stringValue ?? "",
            createdAt: Date(millis: created), expiresAt: Date(millis: expires))
        action.query = o["query"]?.objectValue
        action.policyName = o["policy"]?["name"]?.stringValue ?? ""
        action.policyHash = o["policy"]?["hash"]?.stringValue ?? ""
        action.signedDecision = o["decision"].flatMap(SignedDecision.init(json:))
        return action
    }
}
