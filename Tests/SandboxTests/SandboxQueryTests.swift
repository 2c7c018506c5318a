import AgentCore
import Foundation
import Testing
import TestSupport

/// Pagination, filters, search, sorting and time windows in Asia/Jakarta.
@Suite struct SandboxQueryTests {
    func ids(_ reply: SandboxHarness.Reply) -> [String] { reply.data.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [] }

    @Test func pagePaginationCoversEveryLeadOnce() async throws {
        let h = try await SandboxHarness(leads: 120)
        defer { Task { await h.shutdown() } }
        let first = try await h.get("/api/v2/agent/leads?limit=50")
        let total = try #require(first.json["pagination"]?["total"]?.intValue)
        #expect(first.json["pagination"]?["totalPages"]?.intValue == (total + 49) / 50)
        var seen: [String] = []
        for page in 1...((total + 49) / 50) {
            seen += ids(try await h.get("/api/v2/agent/leads?limit=50&page=\(page)"))
        }
        #expect(seen.count == total && Set(seen).count == total)
        #expect(ids(try await h.get("/api/v2/agent/leads?limit=50&page=99")).isEmpty)
    }

    @Test func cursorPaginationIsStableWhileLeadsArrive() async throws {
        let h = try await SandboxHarness(leads: 90)
        defer { Task { await h.shutdown() } }
        let all = ids(try await h.get("/api/v2/agent/leads?limit=100"))
        var collected: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = "/api/v2/agent/leads?limit=25" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try await h.get(query)
            #expect(reply.status == 200, "\(reply.text)")
            collected += ids(reply)
            cursor = reply.json["pagination"]?["nextCursor"]?.stringValue
            if pages == 0 {
                // New leads arrive between pages; the walk must neither repeat nor skip.
                h.clock.advance(by: 5)
                _ = try await h.post("/api/v2/agent/leads", ["firstName": "Baru"])
                _ = try await h.post("/api/v2/agent/leads", ["firstName": "Lagi"])
            }
            pages += 1
        } while cursor != nil && pages < 10
        #expect(collected == all)
        let ascending = try await h.get("/api/v2/agent/leads?limit=5&sortBy=updatedAt&sortOrder=asc")
        let next = try #require(ascending.json["pagination"]?["nextCursor"]?.stringValue)
        let mismatched = try await h.get("/api/v2/agent/leads?limit=5&cursor=\(next)")
        #expect(mismatched.status == 400 && mismatched.details["cursor"] != nil)
        #expect(try await h.get("/api/v2/agent/leads?cursor=garbage").details["cursor"] == "Invalid cursor")
        #expect(try await h.get("/api/v2/agent/leads?cursor=\(next)&page=2&sortBy=updatedAt&sortOrder=asc").details["page"] != nil)
    }

    @Test func everyFilterNarrowsTheList() async throws {
        let h = try await SandboxHarness(leads: 400)
        defer { Task { await h.shutdown() } }
        for (field, value) in [("status", "won"), ("priority", "urgent"), ("source", "whatsapp"), ("adPlatform", "tiktok")] {
            let reply = try await h.get("/api/v2/agent/leads?limit=100&\(field)=\(value)")
            let rows = try #require(reply.data.arrayValue)
            #expect(!rows.isEmpty, "\(field)=\(value)")
            #expect(rows.allSatisfy { $0[field] == .string(value) }, "\(field)=\(value)")
        }
        let someone = try #require(try await h.get("/api/v2/agent/leads?limit=100").data.arrayValue?.first { $0["assignedTo"]?.stringValue != nil })
        let member = try #require(someone["assignedTo"]?.stringValue)
        let assigned = try #require(try await h.get("/api/v2/agent/leads?limit=100&assignedTo=\(member)").data.arrayValue)
        #expect(!assigned.isEmpty && assigned.allSatisfy { $0["assignedTo"] == .string(member) })

        let windowed = try #require(try await h.get("/api/v2/agent/leads?limit=100&createdFrom=2026-11-10T00:00:00Z&createdTo=2026-11-15T00:00:00Z").data.arrayValue)
        #expect(!windowed.isEmpty)
        #expect(windowed.allSatisfy { ($0["createdAt"]?.stringValue ?? "") >= "2026-11-10" && ($0["createdAt"]?.stringValue ?? "") < "2026-11-15" })

        let sample = try #require(try await h.get("/api/v2/agent/leads?limit=100&source=ads").data.arrayValue?.first { $0["email"]?.stringValue != nil && $0["phone"]?.stringValue != nil })
        for needle in [sample["email"]!.stringValue!, sample["phone"]!.stringValue!, sample["uniqueCode"]!.stringValue!,
                       "\(sample["firstName"]!.stringValue!) \(sample["lastName"]?.stringValue ?? "")".trimmingCharacters(in: .whitespaces)] {
            let encoded = needle.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let found = ids(try await h.get("/api/v2/agent/leads?limit=100&search=\(encoded)"))
            #expect(found.contains(sample["id"]!.stringValue!), "search \(needle)")
        }
        let crm = try await h.get("/api/v2/agent/leads?search=crm-1024")
        #expect(crm.data.arrayValue?.map { $0["uniqueCode"] } == ["CRM-1024"])
        #expect(try await h.get("/api/v2/agent/leads?search=%25").data.arrayValue?.isEmpty == true, "a % is a literal, not a wildcard")

        let byUpdate = try #require(try await h.get("/api/v2/agent/leads?limit=100&sortBy=updatedAt&sortOrder=asc").data.arrayValue)
        let stamps = byUpdate.compactMap { $0["updatedAt"]?.stringValue }
        #expect(stamps == stamps.sorted())
        let newest = try #require(try await h.get("/api/v2/agent/leads?limit=100").data.arrayValue).compactMap { $0["createdAt"]?.stringValue }
        #expect(newest == newest.sorted(by: >))
    }

    @Test func currentWeekStartsMondayMidnightInJakarta() async throws {
        // Sunday 22 Nov 23:30 WIB = 16:30 UTC; Monday 23 Nov 00:10 WIB = 22 Nov 17:10 UTC.
        let sundayLate = Date(timeIntervalSince1970: 1_795_365_000)
        let h = try await SandboxHarness(leads: 0, now: sundayLate)
        defer { Task { await h.shutdown() } }
        let last = try await h.post("/api/v2/agent/leads", ["firstName": "Minggu"])
        #expect(last.data["createdAt"] == "2026-11-22T16:30:00.000Z")
        h.clock.advance(by: 40 * 60)
        let this = try await h.post("/api/v2/agent/leads", ["firstName": "Senin", "status": "won", "actualValue": 1_500_000])
        #expect(this.data["createdAt"] == "2026-11-22T17:10:00.000Z")
        h.clock.advance(by: 10 * 3600)

        let week = try await h.get("/api/v2/agent/analytics/summary?timeframe=current_week")
        #expect(week.data["totalLeads"] == 1)
        #expect(week.data["totalConversions"] == 1 && week.data["totalConversionValue"] == 1_500_000)
        #expect(week.data["period"]?["from"] == "2026-11-22T17:00:00.000Z")
        #expect(try await h.get("/api/v2/agent/analytics/summary?timeframe=today").data["totalLeads"] == 1)
        #expect(try await h.get("/api/v2/agent/analytics/summary?timeframe=last_7_days").data["totalLeads"] == 2)
        #expect(try await h.get("/api/v2/agent/analytics/summary?timeframe=current_month").data["totalLeads"] == 2)
        let allTime = try await h.get("/api/v2/agent/analytics/summary?timeframe=all_time")
        #expect(allTime.data["period"]?["from"] == "2026-11-22T16:30:00.000Z")

        // Dates without a zone are Jakarta dates; `to` alone runs from the earliest lead.
        let sunday = try await h.get("/api/v2/agent/analytics/summary?from=2026-11-22&to=2026-11-22")
        #expect(sunday.data["totalLeads"] == 1 && sunday.data["timeframe"] == "custom")
        #expect(try await h.get("/api/v2/agent/analytics/summary?to=2026-11-22").data["totalLeads"] == 1)
        #expect(try await h.get("/api/v2/agent/analytics/summary?from=2026-11-23").data["totalLeads"] == 1)
        let funnel = try #require(try await h.get("/api/v2/agent/analytics/funnel?timeframe=current_week").data.arrayValue)
        #expect(funnel == [["status": "won", "count": 1, "percentage": 100]])
        let conversions = try await h.get("/api/v2/agent/conversions/status?timeframe=current_week")
        #expect(conversions.data["none"] == 1)
    }

    @Test func sameSeedAndClockGiveTheSameData() async throws {
        let a = try await SandboxHarness(leads: 200, seed: 99)
        let b = try await SandboxHarness(leads: 200, seed: 99)
        let c = try await SandboxHarness(leads: 200, seed: 100)
        defer { Task { await a.shutdown(); await b.shutdown(); await c.shutdown() } }
        let pa = try await a.get("/api/v2/agent/leads?limit=100")
        #expect(pa.data == (try await b.get("/api/v2/agent/leads?limit=100")).data)
        #expect(pa.data != (try await c.get("/api/v2/agent/leads?limit=100")).data)
        #expect(a.key("full") == b.key("full") && a.key("full") != c.key("full"))
    }

    @Test func aFileDatabaseSurvivesARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sandbox.sqlite").path
        let first = try await SandboxHarness(leads: 30, seed: 5, databasePath: path)
        let created = try await first.post("/api/v2/agent/leads", ["firstName": "Tetap"])
        let id = try #require(created.data["id"]?.stringValue)
        await first.shutdown()
        let second = try await SandboxHarness(leads: 999, seed: 6, databasePath: path)
        defer { Task { await second.shutdown() } }
        #expect(try await second.get("/api/v2/agent/leads/\(id)").data["firstName"] == "Tetap")
        #expect(second.sandbox.server.api.seed == 5, "the stored seed wins over the new flag")
        #expect(try await second.get("/api/v2/agent/leads?limit=1").json["pagination"]?["total"] == 31)
    }

    @Test func hostileLeadsAreSeeded() async throws {
        let h = try await SandboxHarness(leads: 300)
        defer { Task { await h.shutdown() } }
        let recent = try #require(try await h.get("/api/v2/agent/leads?limit=100").data.arrayValue)
        let notes = recent.compactMap { $0["notes"]?.stringValue }
        #expect(notes.contains { $0.contains("IGNORE ALL PREVIOUS INSTRUCTIONS") })
        #expect(notes.contains { $0.contains("KONEKTOR_API_KEY") })
        #expect(recent.contains { $0["firstName"]?.stringValue?.hasPrefix("Ignore previous instructions") == true })
    }
}
