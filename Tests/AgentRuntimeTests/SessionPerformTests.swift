import AgentCore
import AgentRuntime
import AuditLog
import Foundation
import Testing
import TestSupport

/// `Session.perform`: one call a client chose, through the same gate, confirmation, client and audit as a planned call.
@Suite struct SessionPerformTests {
    static func kinds(_ f: RuntimeFixture) -> [String] {
        AuditQuery.records(in: f.temp.appending("audit")).map(\.record.kind).filter { $0 != "log-start" }
    }

    @Test func aReadIsSentAndRecordedStepByStep() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let session = try f.session()
        let (record, outcome) = try await session.perform(ToolCall(id: "c1", name: "getWorkspace", arguments: [:]), request: "client called getWorkspace", callsThisTurn: 0)
        let kinds = Self.kinds(f)
        await f.shutdown()
        #expect(record.status == 200)
        if case .data(let value) = outcome { #expect(value["data"]?["timezone"] == "Asia/Jakarta") } else { Issue.record("expected data, got \(outcome)") }
        #expect(kinds == ["request", "plan", "decision", "http-request", "http-response"])
    }

    @Test func theCallerCountsTheTurnForTheLimit() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let session = try f.session()
        let (record, _) = try await session.perform(ToolCall(id: "c1", name: "getWorkspace", arguments: [:]), request: "x", callsThisTurn: 8)
        await f.shutdown()
        #expect(record.decision == .deny && record.rule.contains("limits.callsPerTurn"))
    }

    @Test func aWriteIsConfirmedByTheSessionsConfirmer() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let confirmer = ScriptedConfirmer([.no])
        let session = try f.session(confirmer: confirmer)
        let (record, outcome) = try await session.perform(ToolCall(id: "c1", name: "updateLead", arguments: ["id": "lead_nope", "status": "qualified"]),
                                                          request: "x", callsThisTurn: 0)
        await f.shutdown()
        #expect(record.confirmed == false)
        #expect(outcome == .notSent("declined by the person"))
    }

    @Test func invalidArgumentsKeepTheirFieldDetails() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let session = try f.session()
        let (record, _) = try await session.perform(ToolCall(id: "c1", name: "listLeads", arguments: ["limit": "many"]), request: "x", callsThisTurn: 0)
        await f.shutdown()
        #expect(record.validationDetails?["limit"] != nil)
    }

    @Test func anAPIErrorKeepsItsEnvelope() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let session = try f.session()
        let (record, _) = try await session.perform(ToolCall(id: "c1", name: "getLead", arguments: ["id": "lead_missing"]), request: "x", callsThisTurn: 0)
        await f.shutdown()
        #expect(record.apiError?["status"] == 404)
    }
}
