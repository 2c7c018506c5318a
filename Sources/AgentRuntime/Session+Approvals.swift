import AgentCore
import AgentPolicy
import Approvals
import AuditLog
import Foundation
import KonektorClient
import SkillCatalog

extension Session {
    /// Turns a write that needs approval into a pending action, and waits for the decision when the session is told to.
    func propose(_ call: ValidatedCall, decision: Decision, entry: CallRecord) async throws -> (CallRecord, CallOutcome) {
        var entry = entry
        entry.decision = .approve
        guard let approvals else {
            entry.error = "this write needs a person's approval, and this session has no approvals store"
            return (entry, .notSent(entry.error!))
        }
        let run = try currentRun ?? approvals.newRun(session: id, request: secrets.scrub(currentRequest))
        currentRun = run
        let created = configuration.clock?() ?? Date()
        let snapshot = await leadSnapshot(of: call)
        let proposal = PendingAction(
            run: run, index: 0, tool: call.toolName, method: call.method, path: call.path, arguments: call.arguments, body: call.body,
            current: snapshot.current, decision: decision.verdict, rule: decision.rule, reason: decision.reason,
            proposer: .init(user: Self.user, host: ProcessInfo.processInfo.hostName, session: id, pid: getpid()),
            baseURL: client.configuration.baseURL, keyFingerprint: client.configuration.apiKey.fingerprint,
            createdAt: created, expiresAt: created.addingTimeInterval(Double(configuration.approvalLifetime.components.seconds)))
        let action = try approvals.propose(proposal)
        hasProposed = true
        var proposed = Self.auditData(action)
        if let code = snapshot.code { proposed["leadCode"] = .string(code) }
        try record("approval-proposed", proposed)
        entry.approval = action.reference
        entry.approvalState = action.state
        entry.expiresAt = UTCTimestamp.format(millis: Int64(action.expiresAt.timeIntervalSince1970 * 1000))
        guard let wait = configuration.approvalWait else {
            return (entry, .notSent("waiting for a person's approval as \(action.reference) (konektor approvals approve \(action.reference)); not sent yet"))
        }
        let decided = try await waitForDecision(action.reference, upTo: wait)
        entry.approvalState = decided.state
        switch decided.state {
        case .approved:
            let done = try await runApproved(decided.reference)
            entry.approvalState = done.state
            entry.status = done.resultStatus
            entry.requestId = done.requestId
            entry.confirmed = true
            guard done.state == .executed, let result = done.result else {
                entry.error = done.error ?? "the approved action did not run"
                entry.failed = true
                return (entry, .error(entry.error!))
            }
            writesThisSession += 1
            return (entry, .data(Self.trim(.object(["data": policy.redactForPlanner(result)]), to: configuration.resultBudget)))
        case .rejected:
            entry.confirmed = false
            entry.error = "rejected by \(decided.decidedBy ?? "a person")\(decided.note.map { ": \($0)" } ?? "")"
            return (entry, .notSent(entry.error!))
        case .expired:
            entry.confirmed = false
            entry.error = "no one approved \(decided.reference) before it expired; it was not sent"
            return (entry, .notSent(entry.error!))
        default:
            return (entry, .notSent("still waiting for a person's approval as \(decided.reference) after \(wait); not sent yet"))
        }
    }

    /// Polls the store until the action is decided or expires, or `limit` passes.
    func waitForDecision(_ reference: String, upTo limit: Duration) async throws -> PendingAction {
        guard let approvals else { throw ApprovalError.notFound(reference) }
        let deadline = ContinuousClock.now + limit
        while true {
            let action = try approvals.action(reference)
            try recordExpirations()
            if action.state != .pending || ContinuousClock.now >= deadline { return action }
            try await Task.sleep(for: configuration.approvalPoll)
        }
    }

    /// Runs an approved action exactly once: it must be intact, for this API and key, still allowed by the policy,
    /// and the lead must still hold the values the approver saw.
    public func runApproved(_ reference: String) async throws -> PendingAction {
        guard let approvals else { throw ApprovalError.notFound(reference) }
        let stored = try approvals.action(reference)
        guard stored.baseURL == client.configuration.baseURL, stored.keyFingerprint == client.configuration.apiKey.fingerprint else {
            throw SessionError.otherWorkspace(reference: reference, baseURL: stored.baseURL, fingerprint: stored.keyFingerprint)
        }
        let action = try approvals.claim(reference)
        try record("approval-executing", Self.auditData(action))
        func fail(_ message: String, status: Int? = nil, requestId: String? = nil) throws -> PendingAction {
            let done = try approvals.complete(reference, executed: false, status: status, requestId: requestId, result: nil, error: secrets.scrub(message))
            try record("approval-failed", Self.auditData(done))
            return done
        }
        // The policy as it is now, not as it was when the action was proposed.
        let usage = SessionUsage(callsThisTurn: 0, writesThisSession: writesThisSession)
        let validated: ValidatedCall
        switch gate.check(ToolCall(id: reference, name: action.tool, arguments: action.arguments), usage: usage) {
        case .denied(let d): return try fail("the \(policy.name) policy now denies it (\(d.rule)): \(d.reason)")
        case .invalid(_, let error): return try fail("its arguments are no longer valid: \(error)")
        case .ready(_, let call): validated = call
        }
        guard validated.method == action.method, validated.path == action.path, validated.body == action.body else {
            return try fail("the call it would send differs from the one approved")
        }
        if let expected = action.current, let now = await currentValues(of: validated), now != expected {
            let changes = expected.compactMap { key, before -> String? in
                let after = now[key] ?? .null
                return after == before ? nil : "\(key) was \(before.stringValue ?? before.jsonString()), now \(after.stringValue ?? after.jsonString())"
            }
            return try fail("the lead changed since the action was proposed (\(changes.joined(separator: "; "))); propose it again")
        }
        do {
            let response = try await client.send(validated)
            let done = try approvals.complete(reference, executed: true, status: response.status, requestId: response.requestId, result: secrets.scrub(response.data), error: nil)
            try record("approval-executed", Self.auditData(done))
            return done
        } catch let error as ClientError {
            return try fail("\(error)", status: error.apiError?.status, requestId: error.apiError?.requestId)
        } catch {
            return try fail("\(error)")
        }
    }

    /// Runs this session's actions that were approved since it last looked; what the REPL calls between turns.
    public func runApprovedOfThisSession() async throws -> [PendingAction] {
        // A session that never proposed anything has nothing to run: no store I/O between its turns.
        guard let approvals, hasProposed else { return [] }
        let mine = try approvals.list(session: id)
        try recordExpirations()
        var done: [PendingAction] = []
        for action in mine where action.state == .approved {
            done.append(try await runApproved(action.reference))
        }
        return done
    }

    /// Records in the audit log the expirations no process has recorded yet (each is handed out once).
    func recordExpirations() throws {
        guard let approvals else { return }
        for expired in try approvals.takeUnreportedExpirations() {
            try audit?.append(AuditEvent(kind: "approval-expired", session: expired.proposer.session, data: Self.auditData(expired)))
        }
    }

    /// The lead's values before an update, for the fields the update changes.
    func currentValues(of call: ValidatedCall) async -> JSONObject? { await leadSnapshot(of: call).current }

    /// The lead's values before an update (the fields it changes) and its code, for the prompt and the audit trail.
    func leadSnapshot(of call: ValidatedCall) async -> (current: JSONObject?, code: String?) {
        guard call.toolName == "updateLead", let id = call.arguments["id"], let lookup = try? catalog.validate(tool: "getLead", arguments: ["id": id]).get(),
            let lead = try? await client.send(lookup).data.objectValue
        else { return (nil, nil) }
        return (JSONObject((call.body ?? [:]).map { key, _ in (key, lead[key] ?? .null) }), lead["uniqueCode"]?.stringValue)
    }

    public static func auditData(_ action: PendingAction) -> JSONObject {
        var data: JSONObject = [
            "approval": .string(action.reference), "state": .string(action.state.rawValue), "tool": .string(action.tool),
            "method": .string(action.method), "path": .string(action.path), "arguments": .object(action.arguments), "rule": .string(action.rule),
            "proposer": .string("\(action.proposer.user)@\(action.proposer.host)"), "proposerSession": .string(action.proposer.session),
            "expiresAt": .string(UTCTimestamp.format(millis: Int64(action.expiresAt.timeIntervalSince1970 * 1000))),
        ]
        if let by = action.decidedBy { data["decidedBy"] = .string(by) }
        if let note = action.note { data["note"] = .string(note) }
        if let status = action.resultStatus { data["status"] = .int(status) }
        if let requestId = action.requestId { data["requestId"] = .string(requestId) }
        if let error = action.error { data["error"] = .string(error) }
        // Inside a call (the proposing session), the call id links the approval to the call's other records.
        if let call = AuditContext.callId { data["call"] = .string(call) }
        if let lead = action.arguments["id"]?.stringValue, action.tool.localizedCaseInsensitiveContains("lead") { data["lead"] = .string(lead) }
        data["before"] = action.current.map(JSONValue.object) ?? .null
        data["after"] = action.body.map(JSONValue.object) ?? .null
        return data
    }
}

/// Why a session could not do what it was asked, apart from the API's own errors.
public enum SessionError: Error, CustomStringConvertible, Sendable {
    case otherWorkspace(reference: String, baseURL: String, fingerprint: String)

    public var description: String {
        switch self {
        case .otherWorkspace(let reference, let baseURL, let fingerprint):
            "\(reference) is for \(baseURL) with \(fingerprint); this session talks to another API or uses another key, so it cannot run it. "
                + "Set KONEKTOR_BASE_URL and KONEKTOR_API_KEY to those, or let the proposing session (ask --wait, or its REPL) run it."
        }
    }
}
