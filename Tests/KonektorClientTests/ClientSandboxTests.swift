import AgentCore
import Foundation
import KonektorClient
import SkillCatalog
import Synchronization
import Testing
import TestSupport
@testable import Sandbox

/// Records what the client reports, to prove what was sent and that the key never was.
final class RecordingObserver: ClientObserver, Sendable {
    let requests = Mutex<[RequestRecord]>([])
    let responses = Mutex<[ResponseRecord]>([])
    func willSend(_ request: RequestRecord) async { requests.withLock { $0.append(request) } }
    func didReceive(_ response: ResponseRecord) async { responses.withLock { $0.append(response) } }
}

/// Records requested sleeps instead of sleeping; `onSleep` can move a test clock instead.
final class SleepRecorder: Sendable {
    let slept = Mutex<[Duration]>([])
    let onSleep: @Sendable (Duration) -> Void
    init(onSleep: @escaping @Sendable (Duration) -> Void = { _ in }) { self.onSleep = onSleep }
    var sleep: @Sendable (Duration) async throws -> Void { { d in self.slept.withLock { $0.append(d) }; self.onSleep(d) } }
    var total: Duration { slept.withLock { $0.reduce(.zero, +) } }
}

@Suite struct ClientSandboxTests {
    static let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    func makeClient(_ h: SandboxHarness, key role: String = "full", observer: RecordingObserver? = nil, sleeper: SleepRecorder = SleepRecorder()) throws -> KonektorClient {
        try KonektorClient(
            configuration: ClientConfiguration(baseURL: h.baseURL, apiKey: APIKey(h.key(role)), maxRateLimitWait: .seconds(90)),
            catalog: Self.catalog, observer: observer, now: { h.clock.now() }, sleep: sleeper.sleep)
    }

    func call(_ tool: String, _ arguments: JSONObject = [:]) throws -> ValidatedCall {
        try Self.catalog.validate(tool: tool, arguments: arguments).get()
    }

    @Test func successAndEachErrorCodeOverLoopback() async throws {
        let h = try await SandboxHarness(leads: 120)
        let observer = RecordingObserver()
        let client = try makeClient(h, observer: observer)
        defer { Task { await client.shutdown(); await h.shutdown() } }

        let list = try await client.send(call("listLeads", ["limit": "5", "status": "new"]))
        #expect(list.status == 200 && list.data.arrayValue?.count == 5)
        #expect(list.requestId != nil && list.rateLimit?.limit == 200)

        func failure(_ c: ValidatedCall, using other: KonektorClient? = nil) async -> ClientError? {
            do { _ = try await (other ?? client).send(c); return nil } catch { return error }
        }
        let missing = await failure(try call("getLead", ["id": "lead_nope"]))
        #expect(missing?.apiError?.code == "NOT_FOUND" && missing?.apiError?.status == 404)
        #expect(missing?.description.hasPrefix("not found: Lead lead_nope not found [request ") == true)

        let duplicate = await failure(try call("createLead", ["firstName": "A", "uniqueCode": "CRM-1024"]))
        #expect(duplicate?.apiError?.code == "VALIDATION_ERROR")
        #expect(duplicate?.description.contains("uniqueCode: Already used by another lead") == true)

        let analyst = try makeClient(h, key: "analyst")
        let free = try makeClient(h, key: "free")
        let revokedClient = try makeClient(h, key: "revoked")
        let scope = await failure(try call("createSupportTicket", ["subject": "Pixel", "message": "down"]), using: analyst)
        #expect(scope?.apiError?.status == 403)
        #expect(scope?.description.hasPrefix("the API key lacks scope agent.support.write") == true)
        let plan = await failure(try call("getWorkspace"), using: free)
        #expect(plan?.description.hasPrefix("the workspace's plan does not include the Agent API") == true)
        let revoked = await failure(try call("getWorkspace"), using: revokedClient)
        #expect(revoked?.apiError?.code == "UNAUTHORIZED" && revoked?.description.contains("revoked") == true)
        for other in [analyst, free, revokedClient] { await other.shutdown() }

        try await h.sandbox.server.api.database.writer.write { db in try db.execute(sql: "DROP TABLE tickets") }
        let broken = await failure(try call("createSupportTicket", ["subject": "Pixel", "message": "down"]))
        #expect(broken?.apiError?.code == "INTERNAL_ERROR")
        let ticketAttempts = observer.requests.withLock { $0.filter { $0.tool == "createSupportTicket" }.count }
        #expect(ticketAttempts == 1, "a write that reached the server is never repeated, even after a 500")

        let everything = observer.requests.withLock { $0 }.map { "\($0)" }.joined() + observer.responses.withLock { $0 }.map { "\($0)" }.joined()
        #expect(!everything.contains(h.key("full")))
        #expect("\(APIKey(h.key("full")))".hasPrefix("API key sha256:"))
    }

    @Test func cursorPagesStreamItemsUpToTheCaps() async throws {
        let h = try await SandboxHarness(leads: 130)
        let client = try makeClient(h)
        defer { Task { await client.shutdown(); await h.shutdown() } }
        var ids: [String] = []
        for try await lead in client.items(of: try call("listLeads", ["limit": 40]), maxItems: 1000, maxPages: 10) {
            ids.append(lead["id"]!.stringValue!)
        }
        let total = try await client.send(call("listLeads", ["limit": 1])).body["pagination"]?["total"]?.intValue
        #expect(ids.count == total && Set(ids).count == ids.count)
        var capped = 0
        for try await _ in client.items(of: try call("listLeads", ["limit": 40]), maxItems: 50) { capped += 1 }
        #expect(capped == 50)
        var paged = 0
        for try await _ in client.items(of: try call("listLeads", ["limit": 10]), maxPages: 2) { paged += 1 }
        #expect(paged == 20)
    }

    @Test func aUsedUpWindowIsWaitedOutBeforeSending() async throws {
        let h = try await SandboxHarness(leads: 0)
        // Sleeping moves the sandbox's clock, so the wait is real on the server's side.
        let sleeper = SleepRecorder { h.clock.advance(by: Double($0.components.seconds)) }
        let client = try makeClient(h, sleeper: sleeper)
        defer { Task { await client.shutdown(); await h.shutdown() } }
        h.clock.advance(by: 15)
        for _ in 0..<200 { _ = try await client.send(call("getWorkspace")) }
        #expect(client.rateLimit?.remaining == 0)
        #expect(sleeper.slept.withLock { $0 }.isEmpty)
        let next = try await client.send(call("getWorkspace"))
        #expect(next.status == 200, "no 429: the client waited for the window to end")
        #expect(sleeper.slept.withLock { $0 } == [.seconds(45)])
        #expect(next.rateLimit?.remaining == 199)
    }
}
