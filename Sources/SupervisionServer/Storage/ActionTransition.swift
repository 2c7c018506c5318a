import AgentCore
import Approvals
import Crypto
import Foundation

/// What a state change does to a stored action: the new row and its event, and whether the request still fails.
///
/// An expired action is written as `expired` (with its event) and the request
/// answered 410, so the store commits the update and then throws.
public struct ActionTransition: Sendable {
    public var updated: StoredAction?
    public var event: ServerEvent?
    public var failure: SupervisionError?

    static func refuse(_ failure: SupervisionError) -> ActionTransition { ActionTransition(updated: nil, event: nil, failure: failure) }
}

/// The rules of an action's life, as pure functions of the stored row; both stores apply them inside a transaction.
public enum ActionRules {
    /// The outcome a claimer reports.
    public struct Outcome: Sendable, Hashable {
        public var executed: Bool
        public var status: Int?
        public var requestId: String?
        public var error: String?

        public init(executed: Bool, status: Int? = nil, requestId: String? = nil, error: String? = nil) {
            self.executed = executed
            self.status = status
            self.requestId = requestId
            self.error = error
        }
    }

    /// Marks an action that is past its expiry and still waiting (pending or approved) as expired.
    static func expiry(_ stored: StoredAction, now: Date) -> ActionTransition? {
        guard [.pending, .approved].contains(stored.action.state), stored.action.expiresAt <= now else { return nil }
        var updated = stored
        updated.action.state = .expired
        let event = ServerEvent(time: now, kind: .expired, run: stored.action.run, action: stored.action.index, identity: "server",
                                data: ["expiresAt": .string(UTCTimestamp.format(millis: PendingAction.millis(stored.action.expiresAt)))])
        return ActionTransition(updated: updated, event: event,
                                failure: .gone("\(stored.action.reference) expired at \(UTCTimestamp.format(millis: PendingAction.millis(stored.action.expiresAt)))"))
    }

    /// Approves or rejects a pending action, signing the decision over the digest of the action as stored.
    static func decide(_ stored: StoredAction, verdict: SignedDecision.Verdict, approver: String, note: String?, now: Date,
                       key: Curve25519.Signing.PrivateKey) -> ActionTransition {
        if let expired = expiry(stored, now: now) { return expired }
        guard stored.action.state == .pending else {
            return .refuse(.conflict("\(stored.action.reference) is \(stored.action.state.rawValue), not pending; a decision is made once"))
        }
        let unsigned = SignedDecision(digest: stored.digest.hex, verdict: verdict, approver: approver, note: note, decidedAt: now)
        guard let decision = try? unsigned.signed(with: key) else { return .refuse(.internal("the decision could not be signed")) }
        var updated = stored
        updated.action.state = verdict == .approved ? .approved : .rejected
        updated.action.signedDecision = decision
        updated.action.decidedBy = approver
        updated.action.decidedAt = decision.decidedAt
        updated.action.note = note
        let event = ServerEvent(time: now, kind: verdict == .approved ? .approved : .rejected, run: stored.action.run, action: stored.action.index,
                                identity: approver, data: ["decision": decision.jsonValue])
        return ActionTransition(updated: updated, event: event, failure: nil)
    }

    /// Hands an approved action to one claimer; every other claim, and any claim after it, is a conflict.
    static func claim(_ stored: StoredAction, claimer: String, now: Date) -> ActionTransition {
        if let expired = expiry(stored, now: now) { return expired }
        guard stored.action.state == .approved else {
            return .refuse(.conflict("\(stored.action.reference) is \(stored.action.state.rawValue), not approved; an action is claimed once"))
        }
        // A row edited after its decision no longer matches the digest that was signed: never hand it out.
        guard let decision = stored.action.signedDecision, decision.digest == stored.digest.hex else {
            return .refuse(.conflict("\(stored.action.reference) as stored no longer matches its signed decision; it will not be run"))
        }
        var updated = stored
        updated.action.state = .executing
        updated.claimedBy = claimer
        let event = ServerEvent(time: now, kind: .claimed, run: stored.action.run, action: stored.action.index, identity: claimer)
        return ActionTransition(updated: updated, event: event, failure: nil)
    }

    /// Records what became of a claimed action; only its claimer may, once.
    static func complete(_ stored: StoredAction, claimer: String, outcome: Outcome, now: Date) -> ActionTransition {
        guard stored.action.state == .executing else {
            return .refuse(.conflict("\(stored.action.reference) is \(stored.action.state.rawValue), not executing"))
        }
        guard stored.claimedBy == claimer else { return .refuse(.forbidden("\(stored.action.reference) was claimed by another identity")) }
        var updated = stored
        updated.action.state = outcome.executed ? .executed : .failed
        updated.action.executedAt = now
        updated.action.resultStatus = outcome.status
        updated.action.requestId = outcome.requestId
        updated.action.error = outcome.error
        let event = ServerEvent(time: now, kind: outcome.executed ? .executed : .failed, run: stored.action.run, action: stored.action.index,
                                identity: claimer,
                                data: ["status": outcome.status.map(JSONValue.int) ?? .null, "requestId": outcome.requestId.map(JSONValue.string) ?? .null,
                                       "error": outcome.error.map(JSONValue.string) ?? .null])
        return ActionTransition(updated: updated, event: event, failure: nil)
    }
}
