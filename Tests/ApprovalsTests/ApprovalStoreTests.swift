import AgentCore
import Approvals
import Crypto
import Foundation
import Synchronization
import Testing
import TestSupport

/// A clock the test moves by hand.
final class HandClock: Sendable {
    let current = Mutex(Date(timeIntervalSince1970: 1_795_402_800))
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var now: @Sendable () -> Date { { [self] in current.withLock { $0 } } }
}

final class Count: Sendable {
    let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var total: Int { value.withLock { $0 } }
}

@Suite struct ApprovalStoreTests {
    let secret = SymmetricKey(data: Data(repeating: 7, count: 32))

    func proposal(run: String, clock: HandClock) -> PendingAction {
        PendingAction(run: run, index: 0, tool: "updateLead", method: "PATCH", path: "/api/v2/agent/leads/lead_1", arguments: ["id": "lead_1", "status": "won"],
                      body: ["status": "won"], current: ["status": "new"], decision: .approve, rule: "Policies/supervised.yaml:7 (writes)",
                      reason: "writes need approval", proposer: .init(user: "agent", host: "ci", session: "s1", pid: 1), baseURL: "http://127.0.0.1:1",
                      keyFingerprint: "knk_…abcd", createdAt: clock.now(), expiresAt: clock.now().addingTimeInterval(1800))
    }

    @Test func anActionIsDecidedOnceAndRunOnce() async throws {
        let temp = try TemporaryDirectory("konektor-approvals")
        defer { temp.remove() }
        let clock = HandClock()
        let store = ApprovalStore(path: temp.appending("a.sqlite").path, secret: secret, now: clock.now)
        let run = try store.newRun(session: "s1", request: "close the deal")
        let first = try store.propose(proposal(run: run, clock: clock))
        let second = try store.propose(proposal(run: run, clock: clock))
        #expect(first.reference == "\(run)/1" && second.reference == "\(run)/2")
        #expect(throws: ApprovalError.notApproved(first.reference, state: .pending)) { try store.claim(first.reference) }
        // Many approvers at once (separate connections to the same file): one wins.
        let wins = Count()
        let path = temp.appending("a.sqlite").path
        let secret = self.secret
        let reference = first.reference
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<8 {
                group.addTask {
                    let other = ApprovalStore(path: path, secret: secret, now: clock.now)
                    if (try? other.decide(reference, approve: true, by: "person\(n)", note: nil)) != nil { wins.add() }
                }
            }
        }
        #expect(wins.total == 1)
        let claims = Count()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { if (try? store.claim(reference)) != nil { claims.add() } }
            }
        }
        #expect(claims.total == 1, "an approved action is claimed for running exactly once")
        let done = try store.complete(first.reference, executed: true, status: 200, requestId: "req_1", result: ["id": "lead_1"], error: nil)
        #expect(done.state == .executed && done.resultStatus == 200)
        #expect(throws: ApprovalError.alreadyDecided(first.reference, state: .executed, by: done.decidedBy)) {
            try store.decide(first.reference, approve: false, by: "late", note: nil)
        }
        _ = try store.decide(second.reference, approve: false, by: "boss", note: "not this month")
        #expect(try store.action(second.reference).state == .rejected && (try store.action(second.reference).note) == "not this month")
        #expect(throws: ApprovalError.badReference("run_x")) { try store.action("run_x") }
    }

    @Test func expiryCountsAsRejectionAndIsReportedOnce() throws {
        let temp = try TemporaryDirectory("konektor-approvals")
        defer { temp.remove() }
        let clock = HandClock()
        let store = ApprovalStore(path: temp.appending("a.sqlite").path, secret: secret, now: clock.now)
        let action = try store.propose(proposal(run: try store.newRun(session: "s1", request: "r"), clock: clock))
        clock.advance(1799)
        #expect(try store.expireDue().isEmpty)
        clock.advance(2)
        #expect(try store.expireDue().map(\.reference) == [action.reference])
        #expect(try store.expireDue().isEmpty, "expired once")
        #expect(try store.takeUnreportedExpirations().map(\.reference) == [action.reference])
        #expect(try store.takeUnreportedExpirations().isEmpty, "each expiry is handed out once, for one audit record")
        #expect(throws: ApprovalError.expired(action.reference)) { try store.decide(action.reference, approve: true, by: "p", note: nil) }
    }

    @Test func aTamperedRowOrAnotherKeyIsRefused() throws {
        let temp = try TemporaryDirectory("konektor-approvals")
        defer { temp.remove() }
        let clock = HandClock()
        let path = temp.appending("a.sqlite").path
        let store = ApprovalStore(path: path, secret: secret, now: clock.now)
        let action = try store.propose(proposal(run: try store.newRun(session: "s1", request: "r"), clock: clock))
        let stranger = ApprovalStore(path: path, secret: SymmetricKey(data: Data(repeating: 9, count: 32)), now: clock.now)
        #expect(throws: ApprovalError.tampered(action.reference)) { try stranger.decide(action.reference, approve: true, by: "p", note: nil) }
        #expect(try store.action(action.reference).state == .pending)
    }
}
