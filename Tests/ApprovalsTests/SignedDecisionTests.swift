import AgentCore
import Approvals
import Crypto
import Foundation
import Testing

/// The decision a supervision server signs, and what a runtime checks before it sends an approved action.
@Suite struct SignedDecisionTests {
    /// A fixed key, so the digest and signature below are a stable vector for every implementation of the protocol.
    let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 42, count: 32))
    let decidedAt = Date(timeIntervalSince1970: 1_795_403_000.123)

    func action() -> PendingAction {
        var action = PendingAction(
            run: "run_abc", index: 1, tool: "updateLead", method: "PATCH", path: "/api/v2/agent/leads/lead_1",
            arguments: ["id": "lead_1", "status": "won"], body: ["status": "won"], current: ["status": "new"],
            decision: .approve, rule: "Policies/supervised.yaml:7 (writes)", reason: "writes need approval",
            proposer: .init(user: "agent", host: "ci", session: "s1", pid: 1, identity: "agent-bot"),
            baseURL: "http://127.0.0.1:1", keyFingerprint: "knk_…abcd",
            createdAt: Date(timeIntervalSince1970: 1_795_402_800), expiresAt: Date(timeIntervalSince1970: 1_795_404_600))
        action.policyName = "supervised"
        action.policyHash = String(repeating: "ab", count: 32)
        return action
    }

    func decision(for action: PendingAction) throws -> SignedDecision {
        try SignedDecision(digest: ActionDigest(of: action).hex, verdict: .approved, approver: "dewi", note: "ok", decidedAt: decidedAt).signed(with: key)
    }

    @Test func theDigestCoversACanonicalDocument() {
        let text = String(decoding: ActionDigest.canonicalBytes(of: action()), as: UTF8.self)
        #expect(text.hasPrefix(#"{"action":1,"arguments":{"id":"lead_1","status":"won"},"baseURL":"http://127.0.0.1:1","body":{"status":"won"}"#))
    }

    @Test func aDecisionForThisActionVerifies() throws {
        let action = action()
        #expect(throws: Never.self) { try decision(for: action).verify(publicKey: key.publicKey, for: action) }
    }

    @Test func anotherKeysSignatureIsRefused() throws {
        let action = action()
        let forged = try SignedDecision(digest: ActionDigest(of: action).hex, verdict: .approved, approver: "dewi", note: "ok", decidedAt: decidedAt)
            .signed(with: Curve25519.Signing.PrivateKey())
        #expect(throws: DecisionError.badSignature) { try forged.verify(publicKey: key.publicKey, for: action) }
    }

    @Test(arguments: ["body", "current", "policy", "expiry", "identity", "path"])
    func changingABoundFieldAfterTheDecisionIsRefused(_ field: String) throws {
        let original = action()
        let signed = try decision(for: original)
        var edited = original
        switch field {
        case "body": edited.body = ["status": "lost"]
        case "current": edited.current = ["status": "contacted"]
        case "policy": edited.policyName = "default"
        case "expiry": edited.expiresAt = edited.expiresAt.addingTimeInterval(3600)
        case "identity": edited.proposer.identity = "someone-else"
        default: edited.path = "/api/v2/agent/leads/lead_2"
        }
        #expect(throws: DecisionError.digestMismatch(expected: ActionDigest(of: edited).hex, signed: signed.digest)) {
            try signed.verify(publicKey: key.publicKey, for: edited)
        }
    }

    @Test func aChangedNoteOrVerdictBreaksTheSignature() throws {
        let action = action()
        var signed = try decision(for: action)
        signed.note = "approved by the boss"
        #expect(throws: DecisionError.badSignature) { try signed.verify(publicKey: key.publicKey, for: action) }
    }

    @Test func theWireFormReadsBack() throws {
        let signed = try decision(for: action())
        #expect(SignedDecision(json: signed.jsonValue) == signed)
    }

    @Test func timestampsReadBack() {
        #expect(UTCTimestamp.parseMillis("2026-11-23T03:00:53.941Z") == 1_795_402_853_941)
        #expect(UTCTimestamp.parseMillis("2026-11-23T03:00:53Z") == 1_795_402_853_000)
        #expect(UTCTimestamp.parseMillis("2026-13-23T03:00:53Z") == nil)
    }
}
