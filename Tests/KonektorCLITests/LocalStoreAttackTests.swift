import AgentCore
import Approvals
import AuditLog
import Foundation
import GRDB
import KonektorClient
import KonektorKit
import SkillCatalog
import Testing
import TestSupport

/// Issue 15's findings against the local approvals store, each through the real binary: an agent with a shell as the
/// same user edits `approvals.sqlite` (the same UPDATE `sqlite3` would run) and asks `konektor approvals run` to send it.
@Suite(.serialized) struct LocalStoreAttackTests {
    typealias World = ApprovalLifecycleTests.World

    static let update = ApprovalLifecycleTests.update

    /// Proposes the update under `supervised` and returns its reference.
    static func propose(_ w: World, _ extra: [String] = []) async throws -> String {
        let proposed = try await w.run(update + extra)
        #expect(proposed.status == 3, "\(proposed.stderr)")
        return try #require((try JSONValue(parsing: proposed.stdout))["pending"]?[0]?["approval"]?.stringValue)
    }

    /// Runs SQL on the store, as `sqlite3 approvals.sqlite "…"` would.
    static func edit(_ w: World, _ sql: String) async throws {
        let db = try DatabaseQueue(path: w.temp.appending("state/konektor/approvals.sqlite").path)
        try await db.write { db in try db.execute(sql: sql) }
    }

    static func patches(_ w: World) async throws -> Int {
        try await w.run(["audit", "export"]).stdout.split(separator: "\n").filter { $0.contains(#""kind":"http-request""#) && $0.contains(#""PATCH""#) }.count
    }

    @Test func aStateSetToApprovedWithSQLDoesNotRun() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let reference = try await Self.propose(w)
        try await Self.edit(w, "UPDATE actions SET state = 'approved', decidedBy = 'boss@office', decidedAt = createdAt")
        let ran = try await w.run(["approvals", "run", reference])
        #expect(ran.status == 4, "\(ran.stdout) \(ran.stderr)")
        #expect(ran.stderr.contains("was changed in the approvals store after it was proposed"), "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
        #expect(try await Self.patches(w) == 0)
    }

    @Test func anExecutedActionResetToApprovedDoesNotRunAgain() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let reference = try await Self.propose(w)
        #expect(try await w.run(["approvals", "approve", reference, "--note", "once"]).status == 0)
        let first = try await w.run(["approvals", "run", reference])
        #expect(first.status == 0, "\(first.stderr)")
        // The lead is put back, so only the store stands between the reset row and a second write.
        let id = try #require(try await w.lead()["id"]?.stringValue)
        #expect(try await w.h.patch("/api/v2/agent/leads/\(id)", ["status": "contacted"]).status == 200)
        try await Self.edit(w, "UPDATE actions SET state = 'approved', executedAt = NULL, resultStatus = NULL, requestId = NULL, result = NULL")
        let again = try await w.run(["approvals", "run", reference])
        #expect(again.status == 4, "\(again.stderr)")
        #expect(again.stderr.contains("was changed in the approvals store"), "\(again.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
        #expect(try await Self.patches(w) == 1, "the write went out once")
    }

    @Test func anExpiredActionMadeApprovedDoesNotRun() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let expired = await (try w.start(Self.update + ["--expires-in", "1", "--wait"])).finish()
        #expect(expired.status == 4)
        let reference = try #require((try JSONValue(parsing: try await w.run(["approvals", "list", "--all", "--json"]).stdout))[0]?["reference"]?.stringValue)
        try await Self.edit(w, "UPDATE actions SET state = 'approved'")
        let ran = try await w.run(["approvals", "run", reference])
        #expect(ran.status == 4 && ran.stderr.contains("was changed in the approvals store"), "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
    }

    @Test func aForgedApproverOrNoteDoesNotRun() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let reference = try await Self.propose(w)
        #expect(try await w.run(["approvals", "approve", reference, "--note", "only if the customer confirms"]).status == 0)
        try await Self.edit(w, "UPDATE actions SET decidedBy = 'sales-director@office', note = 'confirmed by phone'")
        let ran = try await w.run(["approvals", "run", reference])
        #expect(ran.status == 4 && ran.stderr.contains("was changed in the approvals store"), "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
    }

    /// An attacker holding `audit-hmac.key` seals an action of their own and approves it.
    static func forge(_ w: World, arguments: JSONObject, body: JSONObject, policyName: String, policyHash: String?) async throws -> String {
        let keys = try AuditKeys.loadOrCreate(in: w.temp.appending("config/konektor"))
        let store = ApprovalStore(path: w.temp.appending("state/konektor/approvals.sqlite").path, secret: keys.hmac)
        let lead = try await w.lead()
        let id = try #require(lead["id"]?.stringValue)
        let catalog = SkillParser.parse(BundledSkill.markdown).catalog
        let library = PolicyLoading.library(catalog: catalog, paths: KonektorPaths(environment: w.environment))
        let hash = try policyHash ?? PolicyFingerprint.hash(of: library.resolve(policyName), in: library)
        let run = try store.newRun(session: "forged", request: "close the deal")
        var action = PendingAction(
            run: run, index: 0, tool: "updateLead", method: "PATCH", path: "/api/v2/agent/leads/\(id)", arguments: JSONObject([("id", .string(id))] + arguments.map { ($0.key, $0.value) }),
            body: body, current: JSONObject(body.map { ($0.key, lead[$0.key] ?? .null) }), decision: .approve, rule: "Policies/supervised.yaml (writes)",
            reason: "writes need approval", proposer: .init(user: "tester", host: "here", session: "forged", pid: 1), baseURL: w.h.baseURL,
            keyFingerprint: APIKey(w.h.key("full")).fingerprint, createdAt: Date(), expiresAt: Date().addingTimeInterval(1800))
        action.policyName = policyName
        action.policyHash = hash
        let proposed = try store.propose(action)
        _ = try store.decide(proposed.reference, approve: true, by: "boss@office", note: "ok")
        return proposed.reference
    }

    @Test func aForgedActionThatItsPolicyDeniesIsNotRun() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        _ = try await Self.propose(w)
        let reference = try await Self.forge(w, arguments: ["status": "won", "actualValue": 999_999_999], body: ["status": "won", "actualValue": 999_999_999],
                                             policyName: "supervised", policyHash: nil)
        let ran = try await w.run(["approvals", "run", reference])
        #expect(ran.status != 0, "\(ran.stdout)")
        #expect(ran.stderr.contains("the supervised policy it was proposed under denies it"), "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
    }

    @Test func aForgedActionNamingAnotherPolicyDocumentIsNotRun() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        _ = try await Self.propose(w)
        let reference = try await Self.forge(w, arguments: ["status": "won"], body: ["status": "won"], policyName: "default",
                                             policyHash: String(repeating: "0", count: 64))
        let ran = try await w.run(["approvals", "run", reference])
        #expect(ran.status != 0)
        #expect(ran.stderr.contains("which this process cannot find with that content"), "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
        #expect((try JSONValue(parsing: try await w.run(["approvals", "list", "--json"]).stdout)).arrayValue?.contains { $0["reference"]?.stringValue == reference } == true,
                "left approved for a runner that has the policy")
    }
}
