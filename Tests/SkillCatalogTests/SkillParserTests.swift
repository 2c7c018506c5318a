import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

@Suite struct SkillParserTests {
    let markdown = SkillParser.parse(Fixtures.skillMarkdown, file: "konektor-SKILL.md")
    let rendering = SkillParser.parse(Fixtures.skillTextRendering, file: "konektor-SKILL-text-rendering.txt")

    @Test func bundledCopyIsTheFixture() {
        #expect(BundledSkill.markdown == Fixtures.skillMarkdown, "run scripts/bundle-skill")
    }

    @Test func bothShapesGiveTheSameCatalog() {
        #expect(markdown.catalog == rendering.catalog)
        #expect(markdown.catalog.jsonValue.jsonString(.pretty) == rendering.catalog.jsonValue.jsonString(.pretty))
    }

    @Test func catalogMatchesGoldenFile() {
        let json = markdown.catalog.jsonValue.jsonString(.pretty) + "\n"
        let golden = Golden.check(json, named: "catalog.json")
        #expect(golden.matches, "catalog JSON differs from golden/catalog.json (KONEKTOR_UPDATE_GOLDEN=1 to rewrite)")
    }

    @Test func documentFacts() {
        let c = markdown.catalog
        #expect(c.title == "Konektor Agent API")
        #expect(c.version == "2.2.0")
        #expect(c.lastUpdated == "2026-03-11")
        #expect(c.baseURL == "https://konektor.id")
        #expect(c.documentationURL == "https://konektor.id/docs/api/agent-api")
        #expect(c.requirements.authScheme == "bearer")
        #expect(c.requirements.apiKeyEnvironmentVariable == "KONEKTOR_API_KEY")
        #expect(c.requirements.httpsOnly)
        #expect(c.requirements.contentType == "application/json")
        #expect(c.scopes.map(\.name) == [
            "agent.leads.read", "agent.leads.write", "agent.analytics.read",
            "agent.conversions.read", "agent.workspace.read", "agent.support.write",
        ])
        #expect(c.rateLimits.map(\.requestsPerMinute) == [60, 200, 600, 200])
        #expect(c.errorCodes.map(\.httpStatus) == [401, 403, 400, 404, 429, 500])
        #expect(c.responseHeaders.map(\.name) == ["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"])
    }

    @Test func toolNamesAreStable() {
        #expect(markdown.catalog.tools.map(\.toolName) == [
            "listLeads", "getLead", "createLead", "updateLead", "getAnalyticsSummary", "getAnalyticsFunnel",
            "getCampaignPerformance", "getConversionSyncStatus", "listPendingConversions", "getWorkspace",
            "createSupportTicket",
        ])
        let document = markdown.catalog.endpoints[0]
        #expect(!document.isTool)
        #expect(document.auth == .public)
        #expect(markdown.catalog.tool(named: document.toolName) == nil)
    }

    @Test func endpointsKnowScopesAndWrites() throws {
        let c = markdown.catalog
        let update = try #require(c.tool(named: "updateLead"))
        #expect(update.method == "PATCH")
        #expect(update.pathTemplate == "/api/v2/agent/leads/:id")
        #expect(update.pathParameterNames == ["id"])
        #expect(update.auth == .scope("agent.leads.write"))
        #expect(update.isWrite)
        #expect(try #require(c.tool(named: "getWorkspace")).isWrite == false)
        #expect(c.tools.filter(\.isWrite).map(\.toolName) == ["createLead", "updateLead", "createSupportTicket"])
    }

    @Test func descriptionsImplyEnumsBoundsAndDefaults() throws {
        let list = try #require(markdown.catalog.tool(named: "listLeads"))
        let limit = try #require(list.parameter(named: "limit"))
        #expect(limit.type == .integer && limit.minimum == 1 && limit.maximum == 100 && limit.defaultValue == .int(50))
        #expect(list.parameter(named: "page")?.minimum == 1)
        #expect(list.parameter(named: "search")?.maxLength == 200)
        #expect(list.parameter(named: "status")?.enumValues?.count == 11)
        #expect(list.parameter(named: "sortBy")?.enumValues == ["createdAt", "updatedAt"])
        #expect(list.parameter(named: "sortBy")?.defaultValue == "createdAt")
        #expect(list.parameter(named: "assignedTo")?.type == .uuid)
        #expect(list.parameter(named: "createdFrom")?.type == .dateTime)
        let create = try #require(markdown.catalog.tool(named: "createLead"))
        let first = try #require(create.parameter(named: "firstName"))
        #expect(first.required && first.minLength == 1 && first.maxLength == 100)
        #expect(create.parameter(named: "email")?.format == "email")
        #expect(create.parameter(named: "status")?.enumValues == markdown.catalog.valueList(named: "Lead Statuses")?.values)
        #expect(create.parameter(named: "status")?.defaultValue == "new")
        #expect(create.parameter(named: "estimatedValue")?.type == .number)
        let ticket = try #require(markdown.catalog.tool(named: "createSupportTicket"))
        #expect(ticket.parameter(named: "subject")?.minLength == 3)
        #expect(ticket.parameter(named: "subject")?.maxLength == 180)
        #expect(ticket.parameter(named: "message")?.maxLength == 10000)
    }

    @Test func placeholdersGiveFreeStringsAndDiagnostics() throws {
        let priority = try #require(markdown.catalog.tool(named: "createSupportTicket")?.parameter(named: "priority"))
        #expect(priority.enumValues == nil)
        #expect(priority.defaultValue == "normal")
        #expect(markdown.catalog.valueList(named: "Ticket Priorities")?.values == [])
        let placeholderLines = markdown.diagnostics.filter { $0.message.contains("placeholder") }.map(\.line)
        #expect(placeholderLines == [493, 518, 520])
        #expect(!markdown.catalog.jsonValue.jsonString().contains("\"enum\":[\"${"))
    }

    @Test func crossReferencesAreResolved() throws {
        let c = markdown.catalog
        let summary = try #require(c.tool(named: "getAnalyticsSummary")).parameters(in: .query)
        #expect(try #require(c.tool(named: "getAnalyticsFunnel")).parameters(in: .query) == summary)
        #expect(try #require(c.tool(named: "getCampaignPerformance")).parameters(in: .query) == summary)
        let createBody = try #require(c.tool(named: "createLead")).parameters(in: .body)
        let updateBody = try #require(c.tool(named: "updateLead")).parameters(in: .body)
        #expect(updateBody.map(\.name) == createBody.map(\.name))
        #expect(updateBody.allSatisfy { !$0.required })
    }

    @Test func examplesAreKeptAsData() throws {
        let create = try #require(markdown.catalog.tool(named: "createLead"))
        let example = try #require(create.examples.first)
        #expect(example.method == "POST")
        #expect(example.url == "https://konektor.id/api/v2/agent/leads")
        #expect(example.requestBody?["firstName"] == "Andi")
        #expect(example.response?["data"]?["uniqueCode"] == "KNK-002")
        #expect(markdown.catalog.tools.allSatisfy { $0.examples.count == 1 && $0.examples[0].response?["success"] == true })
    }

    @Test func markdownNeedsNoRecovery() {
        #expect(!markdown.hasErrors)
        #expect(markdown.diagnostics.filter { $0.severity == .warning }.count == 3)
        #expect(markdown.diagnostics.allSatisfy { $0.file == "konektor-SKILL.md" })
    }

    @Test func textRenderingRecoveriesAreDiagnosedWithLines() throws {
        #expect(!rendering.hasErrors)
        let recovered = try #require(rendering.diagnostics.first { $0.message.contains("recovered 'email'") })
        #expect(recovered.line == 124)
        #expect(recovered.severity == .warning)
        #expect(rendering.diagnostics.contains { $0.line == 4 && $0.message.contains("title") })
        let titles = rendering.diagnostics.filter { $0.message.hasPrefix("endpoint title") }
        #expect(titles.count == 12)
        #expect(titles.first { $0.message.contains("'List Leads'") }?.line == 30)
        #expect("\(recovered)" == "konektor-SKILL-text-rendering.txt:124: warning: parameter row has no name; recovered 'email' from its description and the example")
    }

    @Test func valueListsAreCheckedAgainstEnums() {
        let edited = Fixtures.skillMarkdown.replacingOccurrences(
            of: "Lead Priorities: low, medium, high, urgent", with: "Lead Priorities: low, medium, high, urgent, critical")
        let result = SkillParser.parse(edited, file: "edited.md")
        let mismatch = result.diagnostics.filter { $0.message.contains("disagrees with 'Lead Priorities'") }
        #expect(mismatch.count == 3)
        #expect(mismatch.allSatisfy { $0.message.contains("lacks critical") && $0.severity == .warning })
        #expect(mismatch.first?.line == 609)
    }
}
