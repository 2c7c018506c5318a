import AgentCore
import AgentPolicy
import Approvals
import AuditLog
import Crypto
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
        // The plan and decision go to disk before anything leaves this process for the approvals store.
        try audit?.flush()
        let run: String
        if let currentRun {
            run = currentRun
        } else {
            run = try await approvals.newRun(session: id, request: secrets.scrub(currentRequest))
            currentRun = run
        }
        let created = configuration.clock?() ?? Date()
        let snapshot = await leadSnapshot(of: call)
        let proposal = PendingAction(
            run: run, index: 0, tool: call.toolName, method: call.method, path: call.path, arguments: call.arguments, body: call.body,
            current: snapshot.current, decision: decision.verdict, rule: decision.rule, reason: decision.reason,
            proposer: .init(user: Self.user, host: ProcessInfo.processInfo.hostName, session: id, pid: getpid()),
            baseURL: client.configuration.baseURL, keyFingerprint: client.configuration.apiKey.fingerprint,
            createdAt: created, expiresAt: created.addingTimeInterval(Double(configuration.approvalLifetime.components.seconds)))
        var bound = proposal
        bound.query = call.queryObject.isEmpty ? nil : call.queryObject
        bound.policyName = policy.name
        bound.policyHash = configuration.policyHash
        let action: PendingAction
        do {
            action = try await approvals.propose(bound, maxPendingPerSession: policy.limits.effectivePendingPerSession)
        } catch ApprovalError.queueFull(let session, let limit) {
            let reason = ApprovalError.queueFull(session: session, limit: limit).description
            let rule = policy.cite("limits.pendingPerSession")
            try record("decision", ["tool": .string(call.toolName), "decision": .string(Decision.Verdict.deny.rawValue), "rule": .string(rule), "reason": .string(reason)])
            entry.decision = .deny
            entry.rule = rule
            entry.error = reason
            return (entry, .error("refused by policy (\(rule)): \(reason)"))
        }
        hasProposed = true
        // A proposal is a write of this session: it counts toward limits.writesPerSession whether or not it is approved.
        writesThisSession += 1
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
            let action = try await approvals.action(reference)
            try await recordExpirations()
            if action.state != .pending || ContinuousClock.now >= deadline { return action }
            try await Task.sleep(for: configuration.approvalPoll)
        }
    }

    /// The policy an action was proposed under, as this process finds it: same name, same document hash; else nil.
    func proposingPolicy(of action: PendingAction) -> Policy? {
        if let lookup = configuration.policyLookup {
            guard !action.policyHash.isEmpty, let found = lookup(action.policyName), found.hash == action.policyHash else { return nil }
            return found.policy
        }
        // A session built without a policy library (an embedder, a test) knows only its own policy, and re-checks under it as proposed.
        guard action.policyName == policy.name, action.policyHash == configuration.policyHash else { return nil }
        return policy
    }

    /// Runs an approved action exactly once: it must be intact, for this API and key, still allowed by the policy it was
    /// proposed under (same name, same document), and the lead must still hold the values the approver saw.
    ///
    /// Against a supervision server, the decision must also be signed by the pinned server key over the digest of the
    /// action as this process is about to send it (rebuilt from its own validation, policy, API and key); anything
    /// else is refused before the action is claimed, so nothing is sent and no other runner is locked out.
    public func runApproved(_ reference: String) async throws -> PendingAction {
        guard let approvals else { throw ApprovalError.notFound(reference) }
        let stored = try await approvals.action(reference)
        guard stored.baseURL == client.configuration.baseURL, stored.keyFingerprint == client.configuration.apiKey.fingerprint else {
            throw SessionError.otherWorkspace(reference: reference, baseURL: stored.baseURL, fingerprint: stored.keyFingerprint)
        }
        // Before claiming: a runner that cannot find the proposing policy leaves the action for one that can.
        guard let proposing = proposingPolicy(of: stored) else {
            throw SessionError.policyUnavailable(reference: reference, name: stored.policyName, hash: stored.policyHash)
        }
        // Under the policy it was proposed under, never the runner's own: a forged action gains nothing from a laxer runner.
        // Its write was counted when it was proposed, so the session's write limit is not spent on it twice.
        let usage = SessionUsage(callsThisTurn: 0, writesThisSession: 0)
        let check = CallGate(catalog: catalog, policy: proposing).check(ToolCall(id: reference, name: stored.tool, arguments: stored.arguments), usage: usage)
        let decisionKey = try await approvals.decisionKey()
        if let decisionKey, case .ready(_, let validated) = check {
            try verifyDecision(of: stored, as: validated, key: decisionKey)
        }
        // (Denied or invalid now: there is nothing to verify a decision against; it is claimed and ended below, unsent.)
        let action = try await approvals.claim(reference)
        if let decisionKey, case .ready(_, let validated) = check {
            // The claim's answer carries the decision again; it must be the one verified (no swap between read and claim).
            try verifyDecision(of: action, as: validated, key: decisionKey)
        }
        try record("approval-executing", Self.auditData(action))
        func fail(_ message: String, status: Int? = nil, requestId: String? = nil) async throws -> PendingAction {
            try audit?.flush()
            var done = try await approvals.complete(reference, executed: false, status: status, requestId: requestId, result: nil, error: secrets.scrub(message))
            if done.signedDecision == nil { done.signedDecision = action.signedDecision }
            try record("approval-failed", Self.auditData(done))
            return done
        }
        let validated: ValidatedCall
        switch check {
        case .denied(let d): return try await fail("the \(proposing.name) policy it was proposed under denies it (\(d.rule)): \(d.reason)")
        case .invalid(_, let error): return try await fail("its arguments are no longer valid: \(error)")
        case .ready(_, let call): validated = call
        }
        guard validated.method == action.method, validated.path == action.path, validated.body == action.body,
            (validated.queryObject.isEmpty ? nil : validated.queryObject) == action.query else {
            return try await fail("the call it would send differs from the one approved")
        }
        if let expected = action.current, let now = await currentValues(of: validated), now != expected {
            let changes = expected.compactMap { key, before -> String? in
                let after = now[key] ?? .null
                return after == before ? nil : "\(key) was \(before.stringValue ?? before.jsonString()), now \(after.stringValue ?? after.jsonString())"
            }
            return try await fail("the lead changed since the action was proposed (\(changes.joined(separator: "; "))); propose it again")
        }
        do {
            let response = try await client.send(validated)
            var done = try await approvals.complete(reference, executed: true, status: response.status, requestId: response.requestId,
                                                    result: secrets.scrub(response.data), error: nil)
            if done.signedDecision == nil { done.signedDecision = action.signedDecision }
            try record("approval-executed", Self.auditData(done))
            return done
        } catch let error as ClientError {
            return try await fail("\(error)", status: error.apiError?.status, requestId: error.apiError?.requestId)
        } catch {
            return try await fail("\(error)")
        }
    }

    /// Checks a server's decision against the action as this process would send it; throws ``SessionError/decisionRefused(reference:_:)``.
    func verifyDecision(of action: PendingAction, as call: ValidatedCall, key: Curve25519.Signing.PublicKey) throws {
        guard let decision = action.signedDecision else { throw SessionError.decisionRefused(reference: action.reference, .missing) }
        guard decision.verdict == .approved else { throw SessionError.decisionRefused(reference: action.reference, .notApproved(decision.verdict)) }
        var rebuilt = action
        rebuilt.method = call.method
        rebuilt.path = call.path
        rebuilt.query = call.queryObject.isEmpty ? nil : call.queryObject
        rebuilt.body = call.body
        rebuilt.baseURL = client.configuration.baseURL
        rebuilt.keyFingerprint = client.configuration.apiKey.fingerprint
        // The policy name and hash stay the action's own: proposingPolicy(of:) found that exact document here.
        do {
            try decision.verify(publicKey: key, for: rebuilt)
        } catch {
            var data = Self.auditData(action)
            data["refused"] = .string(error.description)
            try? record("approval-decision-refused", data)
            throw SessionError.decisionRefused(reference: action.reference, error)
        }
    }

    /// Runs this session's actions that were approved since it last looked; what the REPL calls between turns.
    public func runApprovedOfThisSession() async throws -> [PendingAction] {
        // A session that never proposed anything has nothing to run: no store I/O between its turns.
        guard let approvals, hasProposed else { return [] }
        let mine = try await approvals.list(all: false, session: id)
        try await recordExpirations()
        var done: [PendingAction] = []
        for action in mine where action.state == .approved {
            done.append(try await runApproved(action.reference))
        }
        return done
    }

    /// Records in the audit log the expirations no process has recorded yet (each is handed out once).
    func recordExpirations() async throws {
        guard let approvals else { return }
        for expired in try await approvals.takeUnreportedExpirations() {
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
        // The values read are shown to a person or sent with a proposal next: their record goes to disk first.
        try? audit?.flush()
        return (JSONObject((call.body ?? [:]).map { key, _ in (key, lead[key] ?? .null) }), lead["uniqueCode"]?.stringValue)
    }

    public static func auditData(_ action: PendingAction) -> JSONObject {
        var data: JSONObject = [
            "approval": .string(action.reference), "state": .string(action.state.rawValue), "tool": .string(action.tool),
            "method": .string(action.method), "path": .string(action.path), "arguments": .object(action.arguments), "rule": .string(action.rule),
            "proposer": .string("\(action.proposer.user)@\(action.proposer.host)"), "proposerSession": .string(action.proposer.session),
            "expiresAt": .string(UTCTimestamp.format(millis: Int64(action.expiresAt.timeIntervalSince1970 * 1000))),
        ]
        if !action.proposer.identity.isEmpty { data["proposerIdentity"] = .string(action.proposer.identity) }
        if !action.policyName.isEmpty {
            data["policy"] = .string(action.policyName)
            data["policyHash"] = .string(action.policyHash)
        }
        if let by = action.decidedBy { data["decidedBy"] = .string(by) }
        if let note = action.note { data["note"] = .string(note) }
        if let decision = action.signedDecision {
            // The server's signed statement, verbatim: anyone holding its public key can check who approved what, with which note.
            data["approver"] = .string(decision.approver)
            data["verdict"] = .string(decision.verdict.rawValue)
            data["digest"] = .string(decision.digest)
            data["decidedAt"] = .string(UTCTimestamp.format(millis: PendingAction.millis(decision.decidedAt)))
            data["signature"] = .string(decision.signature)
        }
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
    /// The policy the action was proposed under is not here, or its document changed since.
    case policyUnavailable(reference: String, name: String, hash: String)
    /// The supervision server's decision did not hold for the action about to be sent: nothing was sent.
    case decisionRefused(reference: String, DecisionError)

    public var description: String {
        switch self {
        case .otherWorkspace(let reference, let baseURL, let fingerprint):
            "\(reference) is for \(baseURL) with \(fingerprint); this session talks to another API or uses another key, so it cannot run it. "
                + "Set KONEKTOR_BASE_URL and KONEKTOR_API_KEY to those, or let the proposing session (ask --wait, or its REPL) run it."
        case .decisionRefused(let reference, let error): "\(reference): \(error)"
        case .policyUnavailable(let reference, let name, let hash):
            name.isEmpty || hash.isEmpty
                ? "\(reference) does not say which policy it was proposed under; it will not run. Ask again to propose it anew."
                : "\(reference) was proposed under the policy '\(name)' (sha256 \(hash.prefix(12))…), which this process cannot find with that content "
                    + "(missing, or changed since); it was not run. Run it where that policy is installed (policies/, or --policy FILE), or ask again."
        }
    }
}
