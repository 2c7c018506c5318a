import AgentCore
import AgentRuntime
import Approvals
import AuditLog
import Foundation
import Synchronization
import KonektorMCP
import MCP
import Testing
import TestSupport

/// The MCP layer in-process, with the SDK's client over an in-memory transport and a real sandbox, gate and audit log.
@Suite struct MCPSessionServerTests {
    @Test func listsExactlyTheToolsThePolicyOffers() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture, policy: "analyst"))
        let tools = try await mcp.client.listTools().tools
        await mcp.close()
        await fixture.shutdown()
        #expect(!tools.isEmpty)
        #expect(tools.allSatisfy { $0.annotations.readOnlyHint == true })
        #expect(!tools.contains { ["updateLead", "createLead", "upsertLead"].contains($0.name) })
    }

    @Test func annotationsFollowTheMethodAndDescriptionsSayWhatThePolicyDoes() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture))
        let tools = try await mcp.client.listTools().tools
        await mcp.close()
        await fixture.shutdown()
        let update = try #require(tools.first { $0.name == "updateLead" })
        let create = try #require(tools.first { $0.name == "createLead" })
        let read = try #require(tools.first { $0.name == "getLead" })
        #expect(update.annotations == Tool.Annotations(title: update.title, readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true))
        #expect(create.annotations.destructiveHint == false)
        #expect(read.annotations.readOnlyHint == true)
        #expect(update.description?.contains("asks you first") == true)
        #expect(read.description?.contains("runs at once") == true)
    }

    @Test func theClientIsTheSessionsPlanner() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let opener = FixtureOpener(fixture)
        let mcp = try await InProcessClient.connect(opener)
        _ = try await mcp.client.listTools()
        await mcp.close()
        await fixture.shutdown()
        #expect(opener.requests.withLock { $0.map(\.plannerName) } == ["mcp:in-process/9.9"])
    }

    @Test func aReadReturnsTheSandboxsFigure() async throws {
        let fixture = try await RuntimeFixture(leads: 80)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture))
        let result = try await mcp.call("getAnalyticsSummary", ["timeframe": "current_week"])
        let direct = try await fixture.h.get("/api/v2/agent/analytics/summary?timeframe=current_week")
        await mcp.close()
        await fixture.shutdown()
        #expect(result.isError == false)
        #expect(result.value["data"]?["totalLeads"] == direct.data["totalLeads"])
    }

    @Test func aDeclinedElicitationSendsNothingAndAnAcceptedOneSendsOnce() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let lead = try #require(try await fixture.h.get("/api/v2/agent/leads?limit=1&status=new").data.arrayValue?.first)
        let id = try #require(lead["id"]?.stringValue)
        let person = ElicitationScript([.decline, .accept])
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture), elicitation: person)
        let declined = try await mcp.call("updateLead", ["id": .string(id), "status": "qualified"])
        let afterDecline = try await fixture.h.get("/api/v2/agent/leads/\(id)").data["status"]
        let accepted = try await mcp.call("updateLead", ["id": .string(id), "status": "qualified"])
        let afterAccept = try await fixture.h.get("/api/v2/agent/leads/\(id)").data["status"]
        await mcp.close()
        let patches = AuditQuery.records(in: fixture.temp.appending("audit")).filter { $0.record.kind == "http-request" && $0.record.data["method"] == "PATCH" }
        await fixture.shutdown()
        #expect(declined.isError && declined.value["error"]?["kind"] == "not-confirmed")
        #expect(afterDecline == "new")
        #expect(accepted.isError == false)
        #expect(afterAccept == "qualified")
        #expect(patches.count == 1)
        #expect(person.asked.withLock { $0.first?.contains("status: new → qualified") } == true)
    }

    @Test func aClientWithoutElicitationIsToldTheWriteNeedsConfirmation() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture))
        let result = try await mcp.call("updateLead", ["id": "lead_nope", "status": "qualified"])
        await mcp.close()
        await fixture.shutdown()
        #expect(result.isError)
        #expect(result.value["error"]?["message"]?.stringValue?.contains("does not support elicitation") == true)
    }

    @Test func invalidArgumentsComeBackWithFieldDetails() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture))
        let result = try await mcp.call("listLeads", ["status": "sideways"])
        await mcp.close()
        await fixture.shutdown()
        #expect(result.value["error"]?["kind"] == "invalid")
        #expect(result.value["error"]?["details"]?["status"] != nil)
    }

    @Test func aDeniedToolIsRefusedWithTheRuleThatDecided() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture, policy: "analyst"))
        let result = try await mcp.call("updateLead", ["id": "lead_1", "status": "won"])
        await mcp.close()
        await fixture.shutdown()
        #expect(result.value["error"]?["kind"] == "denied")
        #expect(result.value["error"]?["rule"]?.stringValue?.contains("analyst") == true)
    }

    @Test func anAPIErrorComesBackInTheKonektorEnvelope() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture))
        let result = try await mcp.call("getLead", ["id": "lead_does_not_exist"])
        await mcp.close()
        await fixture.shutdown()
        #expect(result.value["error"]?["kind"] == "api")
        #expect(result.value["error"]?["api"]?["status"] == 404)
    }

    @Test func oversizedArgumentsAreRefusedAndRecorded() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture), limits: MCPLimits(argumentBytes: 1000))
        let result = try await mcp.call("listLeads", ["search": .string(String(repeating: "A", count: 5000))])
        await mcp.close()
        let failures = AuditQuery.records(in: fixture.temp.appending("audit")).filter { $0.record.kind == "validation-failure" }
        await fixture.shutdown()
        #expect(result.value["error"]?["message"]?.stringValue?.contains("more than the 1000") == true)
        #expect(failures.count == 1)
    }

    @Test func aFloodMeetsThePerTurnLimit() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture), limits: MCPLimits(turnGap: 3600))
        var results: [(isError: Bool, value: JSONValue)] = []
        for _ in 0..<12 { results.append(try await mcp.call("getWorkspace", [:])) }
        await mcp.close()
        await fixture.shutdown()
        #expect(results.prefix(8).allSatisfy { !$0.isError })
        #expect(results.dropFirst(8).allSatisfy { $0.value["error"]?["rule"]?.stringValue?.contains("limits.callsPerTurn") == true })
    }

    @Test func aPauseStartsANewTurn() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let clock = ManualClock()
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture), limits: MCPLimits(turnGap: 10), now: { clock.now })
        for _ in 0..<8 { _ = try await mcp.call("getWorkspace", [:]) }
        clock.advance(11)
        let after = try await mcp.call("getWorkspace", [:])
        await mcp.close()
        await fixture.shutdown()
        #expect(after.isError == false)
    }

    @Test func eachMCPSessionHasItsOwnLimits() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let opener = FixtureOpener(fixture)
        let first = try await InProcessClient.connect(opener, limits: MCPLimits(turnGap: 3600))
        for _ in 0..<9 { _ = try await first.call("getWorkspace", [:]) }
        let second = try await InProcessClient.connect(opener, limits: MCPLimits(turnGap: 3600))
        let fresh = try await second.call("getWorkspace", [:])
        await first.close()
        await second.close()
        await fixture.shutdown()
        #expect(fresh.isError == false)
    }

    @Test func aPendingActionIsReturnedAndItsOutcomeAskedForLater() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let approvals = ApprovalStore(path: fixture.temp.appending("approvals.sqlite").path, secret: fixture.keys.hmac)
        let lead = try #require(try await fixture.h.get("/api/v2/agent/leads?limit=1&status=new").data.arrayValue?.first)
        let id = try #require(lead["id"]?.stringValue)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture, supervised: true, approvals: approvals))
        let proposed = try await mcp.call("updateLead", ["id": .string(id), "status": "contacted"])
        let reference = try #require(proposed.value["pending"]?["approval"]?.stringValue)
        let waiting = try await mcp.call("updateLead", ["pendingAction": .string(reference)])
        _ = try approvals.decide(reference, approve: true, by: "tester", note: "ok")
        let outcome = try await mcp.call("updateLead", ["pendingAction": .string(reference)])
        let status = try await fixture.h.get("/api/v2/agent/leads/\(id)").data["status"]
        await mcp.close()
        await fixture.shutdown()
        #expect(waiting.value["pending"]?["state"] == "pending")
        #expect(outcome.value["state"] == "executed")
        #expect(status == "contacted")
    }

    @Test func resourcesAreTheSkillAndThePolicy() async throws {
        let fixture = try await RuntimeFixture(leads: 60)
        let mcp = try await InProcessClient.connect(FixtureOpener(fixture))
        let listed = try await mcp.client.listResources().resources.map(\.uri)
        let skill = try await mcp.client.readResource(uri: MCPSessionServer.skillURI)
        await mcp.close()
        await fixture.shutdown()
        #expect(listed == [MCPSessionServer.skillURI, MCPSessionServer.policyURI])
        #expect(skill.first?.text == "# SKILL.md of the test")
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    let value = Mutex(Date(timeIntervalSince1970: 1_795_402_800))
    var now: Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 += seconds } }
}
