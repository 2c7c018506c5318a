import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import AuditLog
import Crypto
import Foundation
import KonektorKit
import Planners
import Synchronization
import Testing
import TestSupport

/// A backend whose decisions are signed, as a supervision server's are: the real local store underneath, and a
/// decision key held by the test (the "server"). It lets the session's verification be tested where the server itself
/// is not built yet; what it signs is exactly what docs/supervision-protocol.md says the server signs.
final class SigningBackend: ApprovalBackend {
    let store: ApprovalStore
    let serverKey: Curve25519.Signing.PrivateKey
    let pinnedKey: Curve25519.Signing.PublicKey
    /// Decisions by reference, as the server would attach them to the action it serves.
    let decisions = Mutex<[String: SignedDecision]>([:])

    init(store: ApprovalStore, serverKey: Curve25519.Signing.PrivateKey, pinnedKey: Curve25519.Signing.PublicKey) {
        self.store = store
        self.serverKey = serverKey
        self.pinnedKey = pinnedKey
    }

    var location: String { "test server" }
    func decisionKey() async throws -> Curve25519.Signing.PublicKey? { pinnedKey }
    func newRun(session: String, request: String) async throws -> String { try store.newRun(session: session, request: request) }
    func propose(_ proposal: PendingAction, maxPendingPerSession: Int?) async throws -> PendingAction {
        try store.propose(proposal, maxPendingPerSession: maxPendingPerSession)
    }
    func attach(_ action: PendingAction) -> PendingAction {
        var action = action
        action.signedDecision = decisions.withLock { $0[action.reference] }
        return action
    }
    func action(_ reference: String) async throws -> PendingAction { attach(try store.action(reference)) }
    func actions(ofRun run: String) async throws -> [PendingAction] { try store.actions(ofRun: run).map(attach) }
    func list(all: Bool, session: String?) async throws -> [PendingAction] { try store.list(all: all, session: session).map(attach) }
    func decide(_ reference: String, approve: Bool, by person: String, note: String?) async throws -> PendingAction {
        let decided = try store.decide(reference, approve: approve, by: person, note: note)
        let signed = try SignedDecision(digest: ActionDigest(of: decided).hex, verdict: approve ? .approved : .rejected, approver: person, note: note,
                                        decidedAt: decided.decidedAt ?? Date()).signed(with: serverKey)
        decisions.withLock { $0[reference] = signed }
        return attach(decided)
    }
    /// Replaces the decision the "server" serves (what a forger or a man in the middle would do).
    func serve(_ decision: SignedDecision, for reference: String) { decisions.withLock { $0[reference] = decision } }
    func claim(_ reference: String) async throws -> PendingAction { attach(try store.claim(reference)) }
    func complete(_ reference: String, executed: Bool, status: Int?, requestId: String?, result: JSONValue?, error: String?) async throws -> PendingAction {
        attach(try store.complete(reference, executed: executed, status: status, requestId: requestId, result: result, error: error))
    }
    func fail(_ reference: String, error: String) async throws { try store.fail(reference, error: error) }
    func takeUnreportedExpirations() async throws -> [PendingAction] { try store.takeUnreportedExpirations() }
    func shutdown() async {}
}

/// The runtime checks a signed decision against the action it is about to send, before it claims it (issue 15).
@Suite struct SignedDecisionRunTests {
    struct Setup {
        let f: RuntimeFixture
        let backend: SigningBackend
        let session: Session
        let reference: String
    }

    /// A supervised session proposes "CRM-1024 → qualified"; the "server" signs with `serverKey`, the runtime pins `pinned`.
    static func setUp(serverKey: Curve25519.Signing.PrivateKey, pinned: Curve25519.Signing.PublicKey) async throws -> Setup {
        let f = try await RuntimeFixture()
        let backend = SigningBackend(store: f.stores.approvals, serverKey: serverKey, pinnedKey: pinned)
        let library = PolicyLoading.library(catalog: f.catalog, paths: f.paths)
        let policy = try library.resolve("supervised")
        var configuration = Session.Configuration()
        configuration.policyHash = PolicyFingerprint.hash(of: policy, in: library)
        configuration.policyLookup = PolicyFingerprint.lookup(in: library)
        let session = Session(id: "agent", catalog: f.catalog, policy: policy, planner: BuiltinPlanner(catalog: f.catalog), client: f.client, audit: f.audit,
                              confirmer: nil, workspace: RuntimeFixture.workspace, configuration: configuration, approvals: backend)
        let turn = try await session.turn("Update lead CRM-1024 status to qualified")
        let reference = try #require(turn.pending.first?.approval)
        return Setup(f: f, backend: backend, session: session, reference: reference)
    }

    func status(_ f: RuntimeFixture) async throws -> JSONValue? { try await f.h.get("/api/v2/agent/leads?search=CRM-1024").data[0]?["status"] }

    @Test func aDecisionSignedByThePinnedKeyRunsOnceAndIsAudited() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let s = try await Self.setUp(serverKey: key, pinned: key.publicKey)
        defer { Task { await s.f.shutdown() } }
        _ = try await s.backend.decide(s.reference, approve: true, by: "rina", note: "checked with sales")
        let done = try await s.session.runApproved(s.reference)
        #expect(done.state == .executed)
        #expect(try await status(s.f) == "qualified")
        await #expect(throws: ApprovalError.self) { try await s.session.runApproved(s.reference) }
        let executed = AuditQuery.records(in: s.f.temp.appending("audit")).map(\.record).filter { $0.kind == "approval-executed" }
        #expect(executed.count == 1)
        #expect(executed.first?.data["approver"] == "rina" && executed.first?.data["note"] == "checked with sales")
        #expect(executed.first?.data["signature"]?.stringValue?.count == 88, "the base64 Ed25519 signature")
    }

    @Test func aDecisionSignedByAnotherKeyIsRefusedBeforeTheClaim() async throws {
        let s = try await Self.setUp(serverKey: Curve25519.Signing.PrivateKey(), pinned: Curve25519.Signing.PrivateKey().publicKey)
        defer { Task { await s.f.shutdown() } }
        _ = try await s.backend.decide(s.reference, approve: true, by: "rina", note: nil)
        await #expect(throws: SessionError.self) { try await s.session.runApproved(s.reference) }
        #expect(try await status(s.f) == "contacted")
        #expect(try s.f.stores.approvals.action(s.reference).state == .approved, "not claimed: a runner with the right key may still run it")
    }

    @Test func aDecisionForAnotherDigestIsRefused() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let s = try await Self.setUp(serverKey: key, pinned: key.publicKey)
        defer { Task { await s.f.shutdown() } }
        let decided = try await s.backend.decide(s.reference, approve: true, by: "rina", note: nil)
        // A genuine signature, over another action's digest (what replaying a decision onto this action amounts to).
        var other = decided
        other.body = ["status": "won"]
        let replayed = try SignedDecision(digest: ActionDigest(of: other).hex, verdict: .approved, approver: "rina", note: nil, decidedAt: Date()).signed(with: key)
        s.backend.serve(replayed, for: s.reference)
        do {
            _ = try await s.session.runApproved(s.reference)
            Issue.record("a decision for another digest ran")
        } catch let error as SessionError {
            #expect("\(error)".contains("was signed for another action"), "\(error)")
        }
        #expect(try await status(s.f) == "contacted")
    }

    @Test func aRejectionSignedByTheServerDoesNotRun() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let s = try await Self.setUp(serverKey: key, pinned: key.publicKey)
        defer { Task { await s.f.shutdown() } }
        let decided = try await s.backend.decide(s.reference, approve: true, by: "rina", note: nil)
        let rejection = try SignedDecision(digest: ActionDigest(of: decided).hex, verdict: .rejected, approver: "rina", note: nil, decidedAt: Date()).signed(with: key)
        s.backend.serve(rejection, for: s.reference)
        await #expect(throws: SessionError.self) { try await s.session.runApproved(s.reference) }
        #expect(try await status(s.f) == "contacted")
    }
}
