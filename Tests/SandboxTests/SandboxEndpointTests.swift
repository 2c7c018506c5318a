import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

/// Each endpoint's success shape over real loopback HTTP.
@Suite struct SandboxEndpointTests {
    static let leadKeys: Set<String> = ["id", "uniqueCode", "firstName", "lastName", "email", "phone", "status", "priority", "source",
                                        "adPlatform", "assignedTo", "estimatedValue", "actualValue", "notes", "externalRef", "createdAt", "updatedAt"]

    @Test func everyEndpointAnswersInTheDocumentedShape() async throws {
        let h = try await SandboxHarness()
        defer { Task { await h.shutdown() } }

        let list = try await h.get("/api/v2/agent/leads?limit=10&status=new")
        #expect(list.status == 200)
        #expect(list.json["success"] == true)
        let leads = try #require(list.data.arrayValue)
        #expect(leads.count == 10)
        #expect(leads.allSatisfy { Set($0.objectValue!.keys) == Self.leadKeys && $0["status"] == "new" })
        let pagination = try #require(list.json["pagination"])
        #expect(pagination["page"] == 1 && pagination["limit"] == 10)
        #expect((pagination["total"]?.intValue ?? 0) > 10)
        #expect(pagination["totalPages"]?.intValue == ((pagination["total"]?.intValue ?? 0) + 9) / 10)
        #expect(pagination["nextCursor"]?.stringValue != nil)

        let id = try #require(leads[0]["id"]?.stringValue)
        let one = try await h.get("/api/v2/agent/leads/\(id)")
        #expect(one.status == 200 && one.data == leads[0])

        let summary = try await h.get("/api/v2/agent/analytics/summary?timeframe=last_7_days")
        #expect(summary.status == 200)
        for key in ["totalLeads", "newLeads", "contactedLeads", "totalConversions", "totalConversionValue", "timeframe", "period"] {
            #expect(summary.data[key] != nil, "summary lacks \(key)")
        }
        #expect(summary.data["timeframe"] == "last_7_days")
        #expect(summary.data["period"]?["to"] == "2026-11-23T03:00:00.000Z")
        #expect(summary.data["period"]?["from"] == "2026-11-16T03:00:00.000Z")

        let funnel = try await h.get("/api/v2/agent/analytics/funnel?timeframe=all_time")
        let stages = try #require(funnel.data.arrayValue)
        let percentages = stages.compactMap { $0["percentage"]?.doubleValue }
        #expect(abs(percentages.reduce(0, +) - 100) < 0.1)
        #expect(stages.compactMap { $0["count"]?.intValue }.reduce(0, +) == summaryTotal(try await h.get("/api/v2/agent/analytics/summary?timeframe=all_time")))

        let campaigns = try await h.get("/api/v2/agent/analytics/campaigns?timeframe=all_time")
        let rows = try #require(campaigns.data.arrayValue)
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { Set($0.objectValue!.keys) == ["campaignName", "adPlatform", "leads", "conversions", "conversionValue"] })
        let leadCounts = rows.compactMap { $0["leads"]?.intValue }
        #expect(leadCounts == leadCounts.sorted(by: >))

        let status = try await h.get("/api/v2/agent/conversions/status?timeframe=all_time&platform=meta")
        #expect(Set(status.data.objectValue!.keys) == ["pending", "synced", "partial", "failed", "none"])

        let pending = try await h.get("/api/v2/agent/conversions/pending")
        let items = try #require(pending.data.arrayValue)
        #expect(items.allSatisfy { ["pending", "failed"].contains($0["conversionSyncStatus"]?.stringValue) && $0["status"] == "won" })

        let workspace = try await h.get("/api/v2/agent/workspace")
        #expect(workspace.data["displayName"] == "Toko Budi Online")
        #expect(workspace.data["timezone"] == "Asia/Jakarta" && workspace.data["currency"] == "IDR" && workspace.data["language"] == "id")
        #expect(workspace.data["subscription"]?["plan"] == "pro")
        #expect(workspace.data["usage"]?["leadsPerDay"]?["limit"] == 500)
        #expect(workspace.data["usage"]?["teamMembers"] == 5)
    }

    func summaryTotal(_ reply: SandboxHarness.Reply) -> Int { reply.data["totalLeads"]?.intValue ?? -1 }

    @Test func createUpdateUpsertAndTickets() async throws {
        let h = try await SandboxHarness(leads: 50)
        defer { Task { await h.shutdown() } }
        let created = try await h.post("/api/v2/agent/leads", ["firstName": "Andi", "email": "andi@example.com", "source": "ads", "adPlatform": "meta"])
        #expect(created.status == 201)
        #expect(created.data["priority"] == "medium" && created.data["status"] == "new")
        #expect(created.data["lastName"] == nil, "the create response shows only what is set")
        let code = try #require(created.data["uniqueCode"]?.stringValue)
        #expect(code.hasPrefix("KNK-") && code.dropFirst(4).allSatisfy(\.isNumber) && code.count >= 7)
        let id = try #require(created.data["id"]?.stringValue)

        h.clock.advance(by: 60)
        let updated = try await h.patch("/api/v2/agent/leads/\(id)", ["status": "contacted", "notes": "Called via WhatsApp"])
        #expect(updated.status == 200)
        #expect(Set(updated.data.objectValue!.keys) == ["id", "uniqueCode", "firstName", "status", "notes", "updatedAt"])
        #expect(updated.data["updatedAt"] == "2026-11-23T03:01:00.000Z")
        #expect(try await h.get("/api/v2/agent/leads/\(id)").data["createdAt"] == "2026-11-23T03:00:00.000Z")

        let second = try await h.post("/api/v2/agent/leads", ["firstName": "Sari"])
        #expect(second.data["uniqueCode"] != created.data["uniqueCode"])
        let duplicate = try await h.post("/api/v2/agent/leads", ["firstName": "X", "uniqueCode": .string(code)])
        #expect(duplicate.status == 400 && duplicate.details["uniqueCode"] == "Already used by another lead")

        let upsertUpdate = try await h.post("/api/v2/agent/leads/upsert", ["uniqueCode": .string(code), "priority": "high"])
        #expect(upsertUpdate.status == 200)
        #expect(upsertUpdate.json["action"] == "updated" && upsertUpdate.json["matchedBy"] == "uniqueCode")
        #expect(upsertUpdate.data["id"] == .string(id) && upsertUpdate.data["priority"] == "high")
        let byPhone = try await h.post("/api/v2/agent/leads/upsert", ["phone": "+6281200000001", "firstName": "Nina"])
        #expect(byPhone.status == 201 && byPhone.json["action"] == "created")
        let again = try await h.post("/api/v2/agent/leads/upsert", ["phone": "+6281200000001", "lastName": "Kurnia"])
        #expect(again.json["action"] == "updated" && again.json["matchedBy"] == "phone" && again.data["firstName"] == "Nina")
        let byRef = try await h.post("/api/v2/agent/leads/upsert", ["externalRef": "fb_1", "firstName": "Rudi"])
        let refAgain = try await h.post("/api/v2/agent/leads/upsert", ["externalRef": "fb_1", "status": "qualified"])
        #expect(refAgain.json["matchedBy"] == "externalRef" && refAgain.data["id"] == byRef.data["id"])
        let nameless = try await h.post("/api/v2/agent/leads/upsert", ["externalRef": "fb_2"])
        #expect(nameless.status == 400 && nameless.details["firstName"] != nil)

        let ticket = try await h.post("/api/v2/agent/support/tickets", ["subject": "Tracking pixel not firing", "message": "Since yesterday."])
        #expect(ticket.status == 201)
        #expect(ticket.data["priority"] == "normal" && ticket.data["status"] == "new")
        let ref = try #require(ticket.data["ticketRef"]?.stringValue)
        let parts = ref.split(separator: "-")
        #expect(parts.map(\.count) == [5, 4] && ref.allSatisfy { $0 == "-" || $0.isUppercase || $0.isNumber })
        let badPriority = try await h.post("/api/v2/agent/support/tickets", ["subject": "Pixel", "message": "x", "priority": "normal-ish"])
        #expect(badPriority.status == 400 && badPriority.details["priority"] != nil)
    }

    @Test func servedSkillParsesCleanlyAndAgreesWithTheSpec() async throws {
        let h = try await SandboxHarness(leads: 0)
        defer { Task { await h.shutdown() } }
        let reply = try await h.get("/api/v2/agent/SKILL.md", key: nil)
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/markdown") == true)
        #expect(reply.headers["x-request-id"] == nil)
        let served = SkillParser.parse(reply.text, file: "sandbox SKILL.md")
        #expect(served.diagnostics.isEmpty, "\(served.diagnostics)")
        let spec = SkillParser.parse(Fixtures.skillMarkdown).catalog
        #expect(served.catalog.tool(named: "upsertLead")?.pathTemplate == "/api/v2/agent/leads/upsert")
        #expect(served.catalog.valueList(named: "Ticket Priorities")?.values == ["low", "normal", "high", "urgent"])
        #expect(served.catalog.scopes.map(\.name) == spec.scopes.map(\.name))
        #expect(served.catalog.rateLimits == spec.rateLimits && served.catalog.errorCodes == spec.errorCodes)
        for endpoint in spec.endpoints {
            let mine = try #require(served.catalog.endpoint(method: endpoint.method, pathTemplate: endpoint.pathTemplate), "\(endpoint.toolName)")
            #expect(mine.toolName == endpoint.toolName && mine.auth == endpoint.auth)
            #expect(mine.parameters.map(\.name) == endpoint.parameters.map(\.name), "\(endpoint.toolName)")
            for (a, b) in zip(mine.parameters, endpoint.parameters) {
                #expect(a.type == b.type && a.required == b.required && a.location == b.location, "\(endpoint.toolName).\(a.name)")
                #expect(a.minimum == b.minimum && a.maximum == b.maximum && a.minLength == b.minLength && a.maxLength == b.maxLength, "\(endpoint.toolName).\(a.name)")
                #expect(a.defaultValue == b.defaultValue || b.defaultValue == nil, "\(endpoint.toolName).\(a.name)")
                // The spec leaves ticket priorities as a placeholder; everywhere else the enums match.
                if b.enumValues != nil { #expect(a.enumValues == b.enumValues, "\(endpoint.toolName).\(a.name)") }
            }
        }
    }
}
