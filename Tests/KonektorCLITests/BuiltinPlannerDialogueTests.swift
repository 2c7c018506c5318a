import AgentCore
import Foundation
import Testing
import TestSupport

/// Dialogues through the real binary (the REPL on a pipe) against a sandbox, follow-ups included; every figure is read back from the sandbox.
@Suite struct BuiltinPlannerDialogueTests {
    func environment(_ h: SandboxHarness, _ temp: TemporaryDirectory) -> [String: String] {
        ["KONEKTOR_API_KEY": h.key("full"), "KONEKTOR_BASE_URL": h.baseURL, "XDG_CONFIG_HOME": temp.appending("config").path,
         "XDG_STATE_HOME": temp.appending("state").path, "HOME": temp.url.path]
    }

    func total(_ h: SandboxHarness, _ query: String) async throws -> Int {
        try await h.get("/api/v2/agent/leads?\(query)").json["pagination"]?["total"]?.intValue ?? -1
    }

    @Test func anEnglishDialogueWithFollowUps() async throws {
        let h = try await SandboxHarness(leads: 400, seed: 42)
        defer { Task { await h.shutdown() } }
        let temp = try TemporaryDirectory("konektor-dialogue-en")
        defer { temp.remove() }
        let whatsapp = try await total(h, "source=whatsapp&createdFrom=2026-11-01&createdTo=2026-11-15")
        let referral = try await total(h, "source=referral&createdFrom=2026-11-01&createdTo=2026-11-15")
        let rows = try await h.get("/api/v2/agent/leads?source=referral&createdFrom=2026-11-01&createdTo=2026-11-15").data.arrayValue ?? []
        try #require(rows.count >= 2)
        let input = [
            "how many leads from whatsapp between 2026-11-01 and 2026-11-15?",
            "and from referral?",
            "show me those leads",
            "the second one",
        ].joined(separator: "\n") + "\n"
        let text = try await CommandLineRunner.pipe(input, environment: environment(h, temp)).stdout
        #expect(text.contains("Leads (source whatsapp), 1–15 Nov 2026: \(whatsapp)"), "\(text)")
        #expect(text.contains("Leads (source referral), 1–15 Nov 2026: \(referral)"), "the filter replaced, the period kept: \(text)")
        #expect(text.contains(rows[0]["uniqueCode"]!.stringValue!), "those leads listed")
        let second = rows[1]
        #expect(text.contains("Lead \(second["uniqueCode"]!.stringValue!) (\(second["id"]!.stringValue!))"), "the second row, read in full: \(text)")
    }

    @Test func anIndonesianDialogueAnswersInIndonesian() async throws {
        let h = try await SandboxHarness(leads: 400, seed: 42)
        defer { Task { await h.shutdown() } }
        let temp = try TemporaryDirectory("konektor-dialogue-id")
        defer { temp.remove() }
        let november = try await total(h, "createdFrom=2026-11-01&createdTo=2026-11-15")
        let won = try await total(h, "status=won&createdFrom=2026-11-01&createdTo=2026-11-15")
        let input = "brp lead dr 01/11/2026 sampai 15/11/2026?\nyg won aja\nhapus lead itu\n"
        let text = try await CommandLineRunner.pipe(input, environment: environment(h, temp)).stdout
        #expect(text.contains("Lead dibuat, 1–15 Nov 2026: \(november)"), "\(text)")
        #expect(text.contains("Lead (status won), 1–15 Nov 2026: \(won)"), "\(text)")
        #expect(text.contains("tidak bisa menghapus lead"), "declined, in Indonesian: \(text)")
    }

    @Test func askJSONTellsANotUnderstoodRequestFromAnAnswer() async throws {
        let h = try await SandboxHarness(leads: 100, seed: 42)
        defer { Task { await h.shutdown() } }
        let temp = try TemporaryDirectory("konektor-dialogue-ask")
        defer { temp.remove() }
        let result = try await CommandLineRunner.run(["ask", "tulis puisi tentang hujan", "--json"], environment: environment(h, temp))
        #expect(result.status == 5, "\(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["outcome"] == "not-understood")
        #expect(json["understood"] == false)
        #expect(json["calls"]?.arrayValue?.isEmpty == true)
    }
}
