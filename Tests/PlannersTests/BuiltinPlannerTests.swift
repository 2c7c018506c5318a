import AgentCore
import Foundation
@testable import Planners
import SkillCatalog
import Testing
import TestSupport

/// The built-in planner's first step for requests, offline, at the evaluation corpus's pinned "now" (Tue 24 Nov 2026, 10:00 Jakarta).
@Suite struct BuiltinPlannerTests {
    static let workspace = WorkspaceFacts(name: "Toko Budi Online", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY",
                                          now: "2026-11-24T03:00:00.000Z")
    static let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    static func step(_ turns: [String], catalog: Catalog = catalog, tools: [String]? = nil, answers: [String] = []) -> PlannerStep {
        var transcript: [TranscriptEntry] = []
        for (i, turn) in turns.enumerated() {
            transcript.append(.user(turn))
            if i < turns.count - 1 { transcript.append(.answer(i < answers.count ? answers[i] : "")) }
        }
        let context = PlanningContext(transcript: transcript, tools: tools ?? catalog.tools.map(\.toolName), workspace: workspace)
        return BuiltinPlanner(catalog: catalog).step(context)
    }

    static func calls(_ turns: String..., catalog: Catalog = catalog) -> [ToolCall] {
        if case .calls(let c) = step(turns, catalog: catalog) { return c }
        return []
    }

    static func kind(_ turns: String...) -> Unresolved.Kind? {
        if case .unresolved(let u) = step(turns) { return u.kind }
        return nil
    }

    // MARK: The issue's confident wrong numbers

    @Test func aSourceFilterTheSummaryLacksIsCountedFromTheList() {
        let c = Self.calls("berapa lead dari referral bulan ini?")
        #expect(c.map(\.name) == ["listLeads"])
        #expect(c.first?.arguments == ["source": "referral", "createdFrom": "2026-11-01", "createdTo": "2026-11-24"])
    }

    @Test func lastSevenDaysIsAPeriodNotARowLimit() {
        let c = Self.calls("show leads from the last 7 days")
        #expect(c.first?.arguments == ["createdFrom": "2026-11-18", "createdTo": "2026-11-24"])
    }

    @Test func aLeadCodeIsLookedUp() {
        #expect(Self.calls("show lead CRM-1024").first?.arguments == ["search": "CRM-1024"])
    }

    @Test func wonLastMonthIsTheCalendarMonthAndTheStatus() {
        let c = Self.calls("berapa lead yang won bulan lalu?")
        #expect(c.first?.name == "listLeads")
        #expect(c.first?.arguments == ["status": "won", "createdFrom": "2026-10-01", "createdTo": "2026-10-31"])
    }

    @Test func revenueByCampaignAsksForTheCampaigns() {
        #expect(Self.calls("which campaign brought the most revenue this month?").first?.name == "getCampaignPerformance")
    }

    @Test func conversionValueIsTheSummary() {
        let c = Self.calls("total nilai konversi minggu ini berapa?")
        #expect(c.first?.name == "getAnalyticsSummary")
        #expect(c.first?.arguments == ["timeframe": "current_week"])
    }

    @Test func yesterdayIsKept() {
        #expect(Self.calls("show leads from tiktok yesterday").first?.arguments == ["adPlatform": "tiktok", "createdFrom": "2026-11-23", "createdTo": "2026-11-23"])
    }

    @Test func thePlanAndTheDailyLimitAreTheWorkspace() {
        #expect(Self.calls("what plan are we on and how many leads can we add per day?").map(\.name) == ["getWorkspace"])
    }

    @Test func aPhoneNumberIsNeverAnAmount() {
        let request = "Update lead CRM-1024 to qualified; his number is 0812 9988 7766"
        #expect(Self.calls(request).first?.arguments == ["search": "CRM-1024"])
        let search = ToolCall(id: "call_1", name: "listLeads", arguments: ["search": "CRM-1024"])
        let found: JSONValue = ["data": [["id": "lead_x1", "uniqueCode": "CRM-1024", "firstName": "Sri"]]]
        let context = PlanningContext(transcript: [.user(request), .calls([search], note: nil), .result(call: search, outcome: .data(found))],
                                      tools: Self.catalog.tools.map(\.toolName), workspace: Self.workspace)
        guard case .calls(let update) = BuiltinPlanner(catalog: Self.catalog).step(context) else { Issue.record("no update planned"); return }
        #expect(update.first?.name == "updateLead")
        #expect(update.first?.arguments["status"] == "qualified")
        #expect(update.first?.arguments["id"] == "lead_x1")
        #expect(update.first?.arguments["estimatedValue"] == nil, "812 is part of a phone number")
    }

    // MARK: Normalisation

    @Test(arguments: ["how many laeds this weeek?", "brp lead yg masuk mgg ini", "berapa lead minggu ini dong"])
    func typosAndInformalFormsStillMatch(_ request: String) {
        let c = Self.calls(request)
        #expect(c.first?.arguments["createdFrom"] == "2026-11-23" || c.first?.arguments["timeframe"] == "current_week", "\(c)")
    }

    @Test func synonymsComeFromTheLexicon() {
        #expect(Self.calls("lead dari wa bulan ini").first?.arguments["source"] == "whatsapp")
        #expect(Self.calls("leads from ig this week").first?.arguments["source"] == "social")
    }

    @Test func aNameIsSearchedAsWritten() {
        #expect(Self.calls("cari lead atas nama Siti Harahap").first?.arguments == ["search": "Siti Harahap"])
    }

    // MARK: Honest outcomes

    @Test func whatTheAPICannotDoIsDeclined() {
        #expect(Self.kind("delete lead CRM-1024") == .unsupported)
        #expect(Self.kind("kirim email ke semua lead baru") == .unsupported)
        #expect(Self.kind("mark every lead as won") == .unsupported)
    }

    @Test func nonsenseIsNotUnderstood() {
        #expect(Self.kind("tulis puisi") == .notUnderstood)
    }

    @Test func aMissingLeadIsAQuestion() {
        #expect(Self.kind("update the lead") == .clarify)
        #expect(Self.kind("and last week?") == .clarify, "a follow-up with nothing to follow")
    }

    @Test func aToolThePolicyDoesNotOfferIsDenied() {
        let step = Self.step(["berapa lead dari referral bulan ini?"], tools: ["getWorkspace"])
        guard case .unresolved(let u) = step else { Issue.record("\(step)"); return }
        #expect(u.kind == .denied)
    }

    // MARK: Follow-ups

    @Test func aFollowUpChangesThePeriod() {
        let c = Self.calls("how many leads from whatsapp this week?", "and last week?")
        #expect(c.first?.arguments == ["source": "whatsapp", "createdFrom": "2026-11-16", "createdTo": "2026-11-22"])
    }

    @Test func aFollowUpAddsOrReplacesAFilter() {
        let c = Self.calls("berapa lead bulan lalu?", "yg dr referral aja")
        #expect(c.first?.arguments == ["source": "referral", "createdFrom": "2026-10-01", "createdTo": "2026-10-31"])
        let replaced = Self.calls("berapa lead dari wa bulan lalu?", "kalau dari referral?")
        #expect(replaced.first?.arguments["source"] == "referral")
    }

    @Test func theSecondOneIsTheSecondRowOfThePreviousTable() {
        let table = "Leads: 2; the 2 newest:\nCODE      NAME\nKNK-0002  Budi\nKNK-0001  Sari"
        let step = Self.step(["show leads", "the second one"], answers: [table])
        #expect(step == .calls([ToolCall(id: "call_1", name: "listLeads", arguments: ["search": "KNK-0001"])]))
    }

    // MARK: Catalog-driven

    /// A SKILL.md with a new source value and a new filter: both understood with no code change.
    static let modified: Catalog = {
        var text = Fixtures.skillMarkdown
        text = text.replacingOccurrences(of: "| source | string | No | Filter by source: website, whatsapp, phone, email, referral, social, ads, event, other |",
                                         with: "| source | string | No | Filter by source: website, whatsapp, phone, email, referral, social, ads, event, marketplace, other |\n| region | string | No | Filter by region: jawa, sumatra, bali |")
        return SkillParser.parse(text).catalog
    }()

    @Test func theModifiedSkillHasTheNewValueAndFilter() {
        #expect(Self.modified.tool(named: "listLeads")?.parameter(named: "source")?.enumValues?.contains("marketplace") == true)
        #expect(Self.modified.tool(named: "listLeads")?.parameter(named: "region")?.enumValues == ["jawa", "sumatra", "bali"])
    }

    @Test func aNewEnumValueIsUnderstood() {
        #expect(Self.calls("how many leads from marketplace this month?", catalog: Self.modified).first?.arguments["source"] == "marketplace")
        #expect(Self.calls("how many leads from marketplace this month?").isEmpty, "the shipped SKILL.md has no such source")
    }

    @Test func aNewFilterIsUnderstood() {
        let c = Self.calls("show leads from bali", catalog: Self.modified)
        #expect(c.first?.arguments == ["region": "bali"])
        #expect(Self.calls("show leads from bali").isEmpty, "the shipped SKILL.md has no region filter")
    }

    // MARK: Numbers

    @Test func indonesianNumbersUseDotsAndCommas() {
        #expect(Numbers(indonesian: true).integer(1234567) == "1.234.567")
        #expect(Numbers(indonesian: true).percent(12.5) == "12,5%")
        #expect(Numbers(indonesian: false).integer(1234567) == "1,234,567")
        #expect(Numbers(indonesian: false).percent(12.5) == "12.5%")
    }
}
