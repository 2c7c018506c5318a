import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import AuditLog
import Crypto
import Foundation
import Planners
import Testing
import TestSupport

/// "Who changed lead CRM-1024 and who approved it?" answered from one scripted session: a confirmation, an "always" grant and an approval (issue 14, part 3).
@Suite struct AuditTrailTests {
    /// Runs the scripted story and returns the log's records.
    static func story(_ f: RuntimeFixture) async throws -> [(record: AuditRecord, user: String?)] {
        let confirmer = ScriptedConfirmer([.always])
        let s = try f.session(confirmer: confirmer)
        let first = try await s.turn("Update lead CRM-1024 status to qualified")
        #expect(first.calls.last?.status == 200)
        let second = try await s.turn("Update lead CRM-1024 status to contacted")
        #expect(second.calls.last?.status == 200)
        #expect(confirmer.shown.withLock { $0.count } == 1, "the always answer confirms the second write without a prompt")

        // A supervised session proposes; a person approves from elsewhere with a note.
        let store = ApprovalStore(path: f.temp.appending("approvals.sqlite").path, secret: SymmetricKey(data: Data(repeating: 3, count: 32)))
        var configuration = Session.Configuration()
        configuration.supervised = true
        configuration.approvalWait = .seconds(30)
        configuration.approvalPoll = .milliseconds(20)
        let policy = try PolicyLibrary(catalog: f.catalog).resolve("default")
        let supervised = Session(id: "supervised", catalog: f.catalog, policy: policy, planner: BuiltinPlanner(catalog: f.catalog), client: f.client, audit: f.audit,
                                 confirmer: nil, workspace: RuntimeFixture.workspace, configuration: configuration, approvals: store)
        let audit = f.audit
        let approver = Task {
            for _ in 0..<1500 {
                if let pending = try store.list().first {
                    let decided = try store.decide(pending.reference, approve: true, by: "rina", note: "checked with sales")
                    try audit.append(AuditEvent(kind: "approval-approved", session: pending.proposer.session, data: Session.auditData(decided)))
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let third = try await supervised.turn("Update lead CRM-1024 status to won")
        try await approver.value
        #expect(third.calls.last?.status == 200)
        return AuditQuery.records(in: f.temp.appending("audit"))
    }

    @Test func everyRecordOfACallCarriesItsCallId() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let rows = try await Self.story(f)
        let write = try #require(rows.first { $0.record.kind == "http-request" && $0.record.data["method"] == "PATCH" })
        let call = try #require(write.record.data["call"]?.stringValue)
        let kinds = Set(rows.filter { $0.record.data["call"]?.stringValue == call }.map(\.record.kind))
        #expect(kinds.isSuperset(of: ["plan", "decision", "confirmation", "http-request", "http-response"]), "\(kinds)")
    }

    @Test func theTrailNamesWhoAskedConfirmedAndApproved() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let rows = try await Self.story(f)
        let changes = AuditTrail.changes(lead: "crm-1024", in: rows)
        try #require(changes.count == 3)
        let (prompt, always, approved) = (changes[0], changes[1], changes[2])
        #expect(prompt.confirmation?["how"] == "prompt")
        #expect(prompt.confirmation?["answer"] == "always")
        #expect(prompt.leadCode == "CRM-1024")
        #expect(prompt.request == "Update lead CRM-1024 status to qualified")
        #expect(prompt.after == ["status": "qualified"])
        #expect(prompt.before["status"] != .null)
        #expect(prompt.outcome == .sent)
        #expect(prompt.requestId != nil)
        #expect(prompt.rule?.isEmpty == false)
        // The second write names the grant it rode on.
        let grantSeq = rows.first { $0.record.kind == "confirmation" && $0.record.data["answer"] == "always" }?.record.seq
        #expect(always.confirmation?["how"] == "always")
        #expect(always.confirmation?["grantSeq"] == grantSeq.map(JSONValue.int))
        #expect(always.before == ["status": "qualified"])
        #expect(always.after == ["status": "contacted"])
        // The approval: who proposed, who approved with the note, what ran.
        #expect(approved.approval.map(\.kind).contains("approval-approved"))
        #expect(approved.approval.first { $0.kind == "approval-approved" }?.data["note"] == "checked with sales")
        #expect(approved.approval.first { $0.kind == "approval-approved" }?.data["decidedBy"] == "rina")
        #expect(approved.before == ["status": "contacted"])
        #expect(approved.after == ["status": "won"])
        #expect(approved.status == 200)
        #expect(approved.outcome == .sent)
        let text = AuditTrail.text(changes, lead: "CRM-1024")
        #expect(text.contains("via always (granted at #\(grantSeq ?? 0)"), "\(text)")
        #expect(text.contains("checked with sales"))
        #expect(text.contains("status: \"contacted\" → \"won\""), "\(text)")
        let json = AuditTrail.json(changes)
        #expect(json[2]?["approval"]?.arrayValue?.contains { $0["note"] == "checked with sales" } == true)
    }

    /// Revoking an "always" answer brings the prompt back, and the log records the revocation.
    @Test func anAlwaysGrantIsListedAndRevocable() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let confirmer = ScriptedConfirmer([.always, .no])
        let s = try f.session(confirmer: confirmer)
        _ = try await s.turn("Update lead CRM-1024 status to qualified")
        #expect(await s.grants.map(\.tool) == ["updateLead"])
        #expect(try await s.revokeGrant(tool: "updateLead"))
        #expect(await s.grants.isEmpty)
        let after = try await s.turn("Update lead CRM-1024 status to contacted")
        #expect(confirmer.shown.withLock { $0.count } == 2, "after the revocation the person is asked again")
        #expect(after.calls.last?.status == nil)
        let rows = AuditQuery.records(in: f.temp.appending("audit"))
        #expect(rows.contains { $0.record.kind == "grant-revoked" && $0.record.data["tool"] == "updateLead" })
    }
}
