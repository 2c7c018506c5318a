import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import Foundation
import Planners
import Testing
import TestSupport

/// A supervised session cannot flood people with pending writes (issue 15: one session queued 28 under `supervised`).
@Suite struct ProposalLimitTests {
    /// A session under `policy` (a file written to the fixture's policies folder) whose planner proposes `count` updates in one turn.
    static func flood(_ f: RuntimeFixture, policy yaml: String, count: Int) async throws -> TurnResult {
        let folder = f.paths.policiesDirectory
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try yaml.write(to: folder.appendingPathComponent("flood.yaml"), atomically: true, encoding: .utf8)
        let leads = try await f.h.get("/api/v2/agent/leads?limit=\(count)").data.arrayValue ?? []
        let calls = leads.prefix(count).enumerated().map { n, lead in
            ToolCall(id: "c\(n)", name: "updateLead", arguments: ["id": lead["id"] ?? .null, "status": "qualified"])
        }
        let planner = ScriptPlanner(steps: [.calls(Array(calls)), .answer("done")])
        let session = Session(id: "flood", catalog: f.catalog, policy: try f.policy("flood"), planner: planner, client: f.client, audit: f.audit,
                              confirmer: nil, workspace: RuntimeFixture.workspace, configuration: .init(), approvals: f.stores.approvals)
        return try await session.turn("qualify them all")
    }

    @Test func proposalsCountTowardWritesPerSession() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let result = try await Self.flood(f, policy: "extends: supervised\nlimits:\n  callsPerTurn: 8\n  writesPerSession: 3\n  pendingPerSession: 50\n", count: 5)
        #expect(result.pending.count == 3, "three proposals, then the write limit")
        #expect(result.calls.filter { $0.decision == .deny }.map(\.rule).allSatisfy { $0.contains("limits.writesPerSession") })
        #expect(try f.stores.approvals.list(session: "flood").count == 3)
    }

    @Test func thePendingQueueOfASessionIsBounded() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let result = try await Self.flood(f, policy: "extends: supervised\nlimits:\n  callsPerTurn: 8\n  writesPerSession: 100\n  pendingPerSession: 2\n", count: 4)
        #expect(result.pending.count == 2)
        let refused = result.calls.filter { $0.decision == .deny }
        #expect(refused.count == 2 && refused.allSatisfy { $0.rule.contains("limits.pendingPerSession") }, "\(refused.map(\.rule))")
        #expect(try f.stores.approvals.list(session: "flood").count == 2)
    }

    @Test func theDefaultBoundHoldsForAPolicyThatSetsNone() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let count = Policy.Limits.defaultPendingPerSession + 2
        let lines = "extends: supervised\nlimits:\n  callsPerTurn: \(count)\n  writesPerSession: 1000\n"
        let result = try await Self.flood(f, policy: lines, count: count)
        #expect(result.pending.count == Policy.Limits.defaultPendingPerSession)
    }
}
