import AgentCore
import AgentRuntime
import AuditLog
import Foundation
import KonektorClient
import Synchronization
import Testing
import TestSupport

/// Whatever a step leads to leaves the process only once the step's records are on disk.
@Suite struct AuditDurabilityTests {
    static func kinds(_ f: RuntimeFixture) -> [String] {
        AuditQuery.records(in: f.temp.appending("audit")).map(\.record.kind).filter { $0 != "log-start" }
    }

    /// A planner that sends its transcript out (as an LLM planner does), and notes what the log held each time it was asked.
    final class OutsidePlanner: Planner, @unchecked Sendable {
        let fixture: RuntimeFixture
        let seen = Mutex<[[String]]>([])
        var name: String { "outside" }
        init(_ fixture: RuntimeFixture) { self.fixture = fixture }
        func next(_ context: PlanningContext) async throws -> PlannerStep {
            seen.withLock { $0.append(AuditDurabilityTests.kinds(fixture)) }
            if context.transcript.contains(where: { if case .result = $0 { true } else { false } }) { return .answer("done") }
            return .calls([ToolCall(id: "c1", name: "getWorkspace", arguments: [:])])
        }
    }

    @Test func aPlannerThatSendsTheTranscriptOutSeesOnlyWhatIsOnDisk() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let planner = OutsidePlanner(f)
        let session = try f.session(planner: planner)
        _ = try await session.turn("what is the workspace's timezone?")
        await f.shutdown()
        let seen = planner.seen.withLock { $0 }
        #expect(seen.first?.last == "request")
        #expect(seen.last?.last == "http-response")
    }

    @Test func aLocalPlannersTurnIsOnDiskWhenItsAnswerIs() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let session = try f.session()
        _ = try await session.turn("berapa lead minggu ini?")
        let kinds = Self.kinds(f)
        await f.shutdown()
        #expect(kinds == ["request", "plan", "decision", "http-request", "http-response", "answer"])
    }

    @Test func aStagedStepKeepsTheInstantItHappened() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let session = try f.session()
        _ = try await session.turn("berapa lead minggu ini?")
        let plan = AuditQuery.records(in: f.temp.appending("audit")).map(\.record).first { $0.kind == "plan" }
        await f.shutdown()
        #expect(plan?.data["at"]?.stringValue != nil)
    }

    @Test func aLogThatCannotBeWrittenStopsTheRequest() async throws {
        let f = try await RuntimeFixture(leads: 40)
        let server = try await FaultServer.start([.respond(status: 200, body: #"{"success":true,"data":{}}"#)])
        // The log's folder is replaced by a file: nothing can be appended, not even by root.
        let folder = f.temp.appending("broken-audit")
        let log = try AuditLog(configuration: .init(directory: folder), keys: f.keys)
        try FileManager.default.removeItem(at: folder)
        try Data("not a folder".utf8).write(to: folder)
        let client = try KonektorClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: APIKey("knk_test_0123456789")), catalog: f.catalog,
                                        observer: AuditObserver(log: log, session: "s"))
        var refused = false
        if let call = try? f.catalog.validate(tool: "getWorkspace", arguments: [:]).get() {
            do { _ = try await client.send(call) } catch { if case .notRecorded = error { refused = true } }
        }
        let received = server.received.count
        await client.shutdown()
        await server.shutdown()
        await f.shutdown()
        #expect(refused)
        #expect(received == 0)
    }

    @Test func aPersonIsAskedOnlyAboutWhatTheLogHolds() async throws {
        let f = try await RuntimeFixture(leads: 40)
        final class Watching: Confirmer, @unchecked Sendable {
            let fixture: RuntimeFixture
            let seen = Mutex<[String]>([])
            init(_ fixture: RuntimeFixture) { self.fixture = fixture }
            func confirm(_ preview: WritePreview) async -> ConfirmationAnswer {
                seen.withLock { $0 = AuditDurabilityTests.kinds(fixture) }
                return .no
            }
        }
        let confirmer = Watching(f)
        let session = try f.session(confirmer: confirmer)
        let lead = try await f.h.get("/api/v2/agent/leads?limit=1").json["data"]?.arrayValue?.first?["id"]?.stringValue ?? "lead_x"
        _ = try await session.perform(ToolCall(id: "c1", name: "updateLead", arguments: ["id": .string(lead), "status": "qualified"]), request: "x", callsThisTurn: 0)
        await f.shutdown()
        let seen = confirmer.seen.withLock { $0 }
        #expect(Array(seen.suffix(4)) == ["plan", "decision", "http-request", "http-response"])
    }
}
