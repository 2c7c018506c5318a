import AgentCore
import Approvals
import Foundation

/// What a runtime proposes, read and checked from the request body before anything is stored.
struct Proposal: Sendable {
    var tool: String
    var arguments: JSONObject
    var method: String
    var path: String
    var query: JSONObject?
    var body: JSONObject?
    var current: JSONObject?
    var policyName: String
    var policyHash: String
    var rule: String
    var reason: String
    var user: String
    var host: String
    var session: String
    var pid: Int32
    var baseURL: String
    var keyFingerprint: String
    var expiresAt: Date

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Reads a Proposal object; every problem is named by its field in the 400's details.
    init(json: JSONValue, now: Date, maxLifetime: TimeInterval) throws(SupervisionError) {
        guard let o = json.objectValue else { throw .validation(["body": "must be a JSON object (a Proposal)"]) }
        var problems = JSONObject()
        func string(_ key: String, in object: JSONObject = o, prefix: String = "", required: Bool = true) -> String {
            switch object[key] {
            case .string(let s)? where !s.isEmpty || !required: return s
            case nil where !required, .null? where !required: return ""
            default: problems[prefix + key] = .string(required ? "required, a non-empty string" : "must be a string"); return ""
            }
        }
        func object(_ key: String, required: Bool) -> JSONObject? {
            switch o[key] {
            case .object(let value)?: return value
            case nil where !required, .null? where !required: return nil
            default: problems[key] = .string(required ? "required, an object" : "must be an object or null"); return nil
            }
        }
        tool = string("tool")
        arguments = object("arguments", required: true) ?? [:]
        method = string("method").uppercased()
        if !method.isEmpty, !Self.methods.contains(method) { problems["method"] = .string("one of \(Self.methods.sorted().joined(separator: ", "))") }
        path = string("path")
        if !path.isEmpty, !path.hasPrefix("/") { problems["path"] = "must start with /" }
        query = object("query", required: false)
        body = object("body", required: false)
        current = object("current", required: false)
        let policy = object("policy", required: true) ?? [:]
        policyName = string("name", in: policy, prefix: "policy.")
        policyHash = string("hash", in: policy, prefix: "policy.")
        rule = string("rule", required: false)
        reason = string("reason", required: false)
        let proposer = object("proposer", required: true) ?? [:]
        user = string("user", in: proposer, prefix: "proposer.")
        host = string("host", in: proposer, prefix: "proposer.", required: false)
        session = string("session", in: proposer, prefix: "proposer.")
        if let pid = proposer["pid"] {
            if let value = pid.intValue, let narrow = Int32(exactly: value) { self.pid = narrow } else { problems["proposer.pid"] = "must be an integer"; self.pid = 0 }
        } else {
            self.pid = 0
        }
        baseURL = string("baseURL")
        keyFingerprint = string("keyFingerprint", required: false)
        let expires = string("expiresAt")
        if !expires.isEmpty, UTCTimestamp.parseMillis(expires) == nil { problems["expiresAt"] = "an ISO 8601 instant (2026-11-23T03:00:53.941Z)" }
        let requested = UTCTimestamp.parseMillis(expires).map(Date.init(millis:)) ?? now
        if problems["expiresAt"] == nil, !expires.isEmpty, requested <= now { problems["expiresAt"] = "must be in the future" }
        // The server bounds how long a proposal may wait, whatever the proposer asked.
        expiresAt = min(requested, now.addingTimeInterval(maxLifetime))
        guard problems.isEmpty else { throw .validation(problems, message: "The proposal is not valid") }
    }

    /// The action this proposal becomes as action `index` of `run`, proposed by `identity`.
    func action(run: String, index: Int, identity: String, now: Date) -> PendingAction {
        var action = PendingAction(
            run: run, index: index, tool: tool, method: method, path: path, arguments: arguments, body: body, current: current,
            decision: .approve, rule: rule, reason: reason,
            proposer: .init(user: user, host: host, session: session, pid: pid, identity: identity),
            baseURL: baseURL, keyFingerprint: keyFingerprint, createdAt: Date(millis: PendingAction.millis(now)),
            expiresAt: Date(millis: PendingAction.millis(expiresAt)))
        action.query = query
        action.policyName = policyName
        action.policyHash = policyHash
        return action
    }
}
