import AgentCore
import AgentPolicy
import AgentRuntime
import AuditLog
import Foundation
import KonektorClient
@testable import Planners
import SkillCatalog
import Synchronization
import Testing
import TestSupport

@Suite struct BuiltinPlannerEndToEndTests {
    @Test(arguments: [
        "How many new leads this week?", "how many leads did we get this week", "Berapa lead baru minggu ini?", "berapa jumlah lead minggu ini",
    ])
    func newLeadsThisWeek(_ question: String) async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let truth = try await f.h.get("/api/v2/agent/analytics/summary?timeframe=current_week").data
        let result = try await f.session().turn(question)
        #expect(result.calls.map(\.tool) == ["getAnalyticsSummary"])
        #expect(result.calls[0].query == ["timeframe": "current_week"] && result.calls[0].status == 200)
        let total = truth["totalLeads"]!.intValue!, new = truth["newLeads"]!.intValue!
        #expect(result.answer.contains("\(total)") && result.answer.contains("\(new)"), "\(result.answer)")
        #expect(question.hasPrefix("Berapa") || question.hasPrefix("berapa") ? result.answer.contains("minggu ini") : result.answer.contains("this week"))
    }

    @Test func otherTimeframes() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let s = try f.session()
        #expect(try await s.turn("how many leads today?").calls.first?.query == ["timeframe": "today"])
        #expect(try await s.turn("berapa lead bulan ini").calls.first?.query == ["timeframe": "current_month"])
        #expect(try await s.turn("how many leads in the last 7 days").calls.first?.query == ["timeframe": "last_7_days"])
        let lastWeek = try await s.turn("how many leads last week?")
        #expect(lastWeek.calls.first?.query == ["from": "2026-11-16", "to": "2026-11-22"], "Monday to Sunday before this week, in Jakarta")
        let range = try await s.turn("how many leads between 2026-11-01 and 2026-11-15")
        #expect(range.calls.first?.query == ["from": "2026-11-01", "to": "2026-11-15"])
        let truth = try await f.h.get("/api/v2/agent/analytics/summary?from=2026-11-01&to=2026-11-15").data["totalLeads"]!.intValue!
        #expect(range.answer.hasPrefix("Leads created, 1–15 Nov 2026: \(truth)"), "the answer starts from the period understood: \(range.answer)")
        let written = try await s.turn("berapa lead dari 01/11/2026 sampai 15/11/2026?")
        #expect(written.calls.first?.query == ["from": "2026-11-01", "to": "2026-11-15"], "dates typed the workspace's way")
        #expect(written.answer.hasPrefix("Lead dibuat, 1–15 Nov 2026: \(truth)"), "\(written.answer)")
    }

    @Test func listsShowDatesInTheWorkspaceFormatAndZone() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let result = try await f.session().turn("show me the 5 newest qualified leads")
        #expect(result.calls.first?.query == ["limit": "5", "status": "qualified"])
        let leads = try await f.h.get("/api/v2/agent/leads?limit=5&status=qualified").data.arrayValue!
        let lines = result.answer.split(separator: "\n")
        #expect(lines[1].hasPrefix("CODE") && lines[1].hasSuffix("CREATED"))
        for (lead, line) in zip(leads, lines.dropFirst(2)) {
            // createdAt is UTC; the table shows the Jakarta calendar day (UTC+7).
            let instant = ISO8601DateFormatter().date(from: String(lead["createdAt"]!.stringValue!.prefix(19)) + "Z")!
            let jakarta = instant.addingTimeInterval(7 * 3600)
            let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: jakarta)
            let expected = String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!)
            #expect(line.hasPrefix(lead["uniqueCode"]!.stringValue!) && line.hasSuffix(expected), "\(line) vs \(expected)")
        }
    }

    @Test(arguments: [
        ("Set the estimated value of CRM-1024 to 7,5 juta", "estimatedValue", 7_500_000),
        ("ubah nilai estimasi lead CRM-1024 menjadi Rp 12.500.000", "estimatedValue", 12_500_000),
        ("mark CRM-1024 as won, actual value 7.5m", "actualValue", 7_500_000),
        ("update lead CRM-1024 estimated value to 250 ribu", "estimatedValue", 250_000),
    ])
    func amountsAsPeopleWriteThem(_ request: String, _ field: String, _ amount: Int) async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let result = try await f.session(assumeYes: true).turn(request)
        #expect(result.calls.map(\.tool) == ["listLeads", "updateLead"], "\(result.answer)")
        #expect(result.calls.last?.body?[field] == .int(amount), "\(String(describing: result.calls.last?.body))")
        #expect(result.calls.last?.status == 200, "\(result.answer)")
        let lead = try await f.h.get("/api/v2/agent/leads?search=CRM-1024").data.arrayValue!.first!
        #expect(lead[field]?.doubleValue == Double(amount))
        #expect(result.answer.contains(Rupiah.format(Double(amount))), "\(result.answer)")
    }

    @Test func funnelCampaignsAndSync() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let s = try f.session()
        let funnel = try await s.turn("Show me the conversion funnel for this month")
        #expect(funnel.calls.map(\.tool) == ["getAnalyticsFunnel"] && funnel.calls[0].query == ["timeframe": "current_month"])
        let stages = try await f.h.get("/api/v2/agent/analytics/funnel?timeframe=current_month").data.arrayValue!
        #expect(funnel.answer.contains("\(stages.compactMap { $0["count"]?.intValue }.reduce(0, +)) leads"))
        for stage in stages { #expect(funnel.answer.contains("\(stage["status"]!.stringValue!): \(stage["count"]!.intValue!)"), "\(funnel.answer)") }

        let campaigns = try await s.turn("Which campaign generated the most leads?")
        #expect(campaigns.calls.map(\.tool) == ["getCampaignPerformance"])
        let top = try await f.h.get("/api/v2/agent/analytics/campaigns?timeframe=last_30_days").data.arrayValue!.first!
        #expect(campaigns.answer.hasPrefix("Campaigns by leads"), "\(campaigns.answer)")
        #expect(campaigns.answer.contains("the most is \(top["campaignName"]!.stringValue!)"), "\(campaigns.answer)")
        #expect(campaigns.answer.contains("Rp "))
        #expect(try await s.turn("kampanye mana yang paling banyak lead bulan ini?").calls.first?.query == ["timeframe": "current_month"])

        let sync = try await s.turn("How many conversions failed to sync?")
        let counts = try await f.h.get("/api/v2/agent/conversions/status?timeframe=last_30_days").data
        #expect(sync.calls.map(\.tool) == ["getConversionSyncStatus"])
        #expect(sync.answer.hasPrefix("Conversions failed to sync, in the last 30 days (the API's default): \(counts["failed"]!.intValue!)"), "\(sync.answer)")
        #expect(try await s.turn("berapa konversi yang gagal sinkron untuk meta?").calls.first?.query["platform"] == "meta")
    }

    @Test func updateResolvesTheCodeAndConfirms() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let person = ScriptedConfirmer([.yes])
        let result = try await f.session(confirmer: person).turn("Update lead CRM-1024 status to qualified")
        #expect(result.calls.map(\.tool) == ["listLeads", "updateLead"])
        #expect(result.calls[0].query["search"] == "CRM-1024")
        #expect(result.calls[1].decision == .confirm && result.calls[1].confirmed == true && result.calls[1].status == 200)
        #expect(result.calls[1].body == ["status": "qualified"])
        #expect(result.answer.contains("CRM-1024") && result.answer.contains("status qualified"))
        let shown = try #require(person.shown.withLock { $0.first })
        #expect(shown.current?["status"] == "contacted", "the preview shows the lead's current value beside the new one")
        let lead = try await f.h.get("/api/v2/agent/leads?search=CRM-1024").data.arrayValue!.first!
        #expect(lead["status"] == "qualified")
    }

    @Test func declinedAndUnattendedWritesAreNotSent() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let declined = try await f.session(confirmer: ScriptedConfirmer([.no])).turn("ubah status lead CRM-1024 menjadi won")
        #expect(declined.calls.last?.confirmed == false && declined.calls.last?.status == nil)
        let unattended = try await f.session().turn("Update lead CRM-1024 status to lost")
        #expect(unattended.calls.last?.status == nil && unattended.answer.contains("--yes"))
        let analyst = try await f.session(policy: "analyst").turn("Update lead CRM-1024 status to lost")
        #expect(analyst.calls.isEmpty || analyst.calls.allSatisfy { $0.status == nil || $0.tool == "listLeads" })
        #expect(analyst.answer.contains("policy"))
        let yes = try await f.session(assumeYes: true).turn("Update lead CRM-1024 status to lost")
        #expect(yes.calls.last?.status == 200 && yes.calls.last?.confirmed == true)
        let dry = try await f.session(assumeYes: true, dryRun: true).turn("Update lead CRM-1024 status to won")
        #expect(dry.calls.last?.status == nil && dry.answer.contains("dry run"))
        let supervisedDry = try await f.session(policy: "supervised", dryRun: true).turn("Update lead CRM-1024 status to qualified")
        #expect(supervisedDry.calls.last?.decision == .approve && supervisedDry.pending.isEmpty)
        #expect(supervisedDry.answer.contains("would wait for a person's approval; nothing was proposed or sent"))
        #expect(try await f.h.get("/api/v2/agent/leads?search=CRM-1024").data.arrayValue!.first!["status"] == "lost")
    }

    @Test func formsCreateLeadsInBothLanguages() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let s = try f.session(assumeYes: true)
        let english = try await s.turn("""
            Create a new lead from this form submission
            Name: Andi Saputra
            Email: andi.saputra@example.com
            Phone: 0812-3456-7890
            Source: Instagram
            """)
        #expect(english.calls.map(\.tool) == ["createLead"])
        #expect(english.calls[0].body == ["firstName": "Andi", "lastName": "Saputra", "email": "andi.saputra@example.com", "phone": "+6281234567890", "source": "social"])
        #expect(english.calls[0].status == 201 && english.answer.hasPrefix("Created lead KNK-"))
        let indonesian = try await s.turn("Tolong buat lead baru dari form ini:\nNama: Rina Wulandari\nNo. HP: +62 811 2233 4455\nSumber: WA")
        #expect(indonesian.calls.first?.body?["phone"] == "+6281122334455" && indonesian.calls.first?.body?["source"] == "whatsapp")
        #expect(indonesian.answer.contains("dibuat untuk Rina"))
    }

    @Test func ticketsHonestyAndOffTopic() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let s = try f.session(assumeYes: true)
        let ticket = try await s.turn("Create a support ticket about our tracking pixel not firing")
        #expect(ticket.calls.map(\.tool) == ["createSupportTicket"])
        #expect(ticket.calls[0].body?["subject"] == "Our tracking pixel not firing")
        #expect(ticket.answer.hasPrefix("Opened support ticket "))
        let delete = try await s.turn("delete lead CRM-1024")
        #expect(delete.calls.isEmpty)
        #expect(delete.outcome == .unsupported)
        #expect(delete.answer.contains("cannot delete leads"), "\(delete.answer)")
        let weather = try await s.turn("what's the weather in Bandung?")
        #expect(weather.calls.isEmpty)
        #expect(weather.outcome == .notUnderstood, "\(weather.answer)")
    }

    @Test func theAuditLogOfARunVerifiesAndHoldsNoSecrets() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let s = try f.session(assumeYes: true)
        _ = try await s.turn("How many new leads this week?")
        _ = try await s.turn("Create a new lead from this form\nName: Budi Santoso\nEmail: budi.santoso@example.com\nPhone: 081234567890")
        _ = try await s.turn("Update lead CRM-1024 status to qualified")
        try f.audit.checkpoint(session: "test")
        let report = try AuditVerifier.verify(directory: f.temp.appending("audit"), trustedKey: f.keys.publicKey)
        #expect(report.intact && report.warnings.isEmpty, "\(String(describing: report.problem)) \(report.warnings)")
        let records = AuditQuery.records(in: f.temp.appending("audit")).map(\.record)
        #expect(Set(records.map(\.kind)).isSuperset(of: ["request", "plan", "decision", "confirmation", "http-request", "http-response", "answer", "checkpoint"]))
        var text = ""
        for url in try FileManager.default.contentsOfDirectory(at: f.temp.appending("audit"), includingPropertiesForKeys: nil) where url.pathExtension == "jsonl" {
            text += try String(contentsOf: url, encoding: .utf8)
        }
        for secret in [f.h.key("full"), "budi.santoso@example.com", "081234567890", "+6281234567890", "Santoso"] {
            #expect(!text.contains(secret), "\(secret) is in the audit log")
        }
    }
}
