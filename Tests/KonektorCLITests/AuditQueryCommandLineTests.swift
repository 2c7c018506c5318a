import AgentCore
import Foundation
import Testing
import TestSupport

/// The questions a security team asks of `konektor audit` (issue 14, part 3): times in any form, unknown filters, CSV a spreadsheet reads, stats as text.
@Suite struct AuditQueryCommandLineTests {
    static func log(_ name: String) async throws -> (TemporaryDirectory, String) {
        let temp = try TemporaryDirectory(name)
        let log = temp.appending("audit").path
        #expect(try await CommandLineRunner.run(["bench", "audit", "--append", "20", "--log", log]).status == 0)
        return (temp, log)
    }

    static func iso(_ date: Date, zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    func rows(_ log: String, _ extra: [String]) async throws -> Int {
        let result = try await CommandLineRunner.run(["audit", "export", "--log", log] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").count
    }

    @Test func sinceTakesAnyOffsetDatesAndRelativeForms() async throws {
        let (temp, log) = try await Self.log("konektor-audit-since")
        defer { temp.remove() }
        let hourAgo = Date().addingTimeInterval(-3600)
        let inJakarta = Self.iso(hourAgo, zone: TimeZone(identifier: "Asia/Jakarta")!)
        let inZ = Self.iso(hourAgo, zone: TimeZone(identifier: "UTC")!)
        #expect(inJakarta.hasSuffix("+07:00"))
        let all = try await rows(log, [])
        #expect(all == 22)
        #expect(try await rows(log, ["--since", inJakarta]) == all)
        #expect(try await rows(log, ["--since", inZ]) == all)
        #expect(try await rows(log, ["--since", "1h"]) == all)
        #expect(try await rows(log, ["--since", "yesterday"]) == all)
        #expect(try await rows(log, ["--until", "yesterday"]) == 0)
        #expect(try await rows(log, ["--until", inJakarta]) == 0)
        let bad = try await CommandLineRunner.run(["audit", "export", "--log", log, "--since", "last tuesday"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'last tuesday' is not a time"), "\(bad.stderr)")
    }

    @Test func unknownKindsAndToolsAreErrorsThatListTheKnownOnes() async throws {
        let (temp, log) = try await Self.log("konektor-audit-unknown")
        defer { temp.remove() }
        let kind = try await CommandLineRunner.run(["audit", "show", "--log", log, "--kind", "decisions"])
        #expect(kind.status == 2)
        #expect(kind.stderr.contains("--kind decisions is not a kind of record; the kinds are: log-start, session-start, request, plan, decision"), "\(kind.stderr)")
        let tool = try await CommandLineRunner.run(["audit", "show", "--log", log, "--tool", "listLead"])
        #expect(tool.status == 2)
        #expect(tool.stderr.contains("--tool listLead is not a tool; the tools are: "), "\(tool.stderr)")
        #expect(tool.stderr.contains("listLeads"))
        #expect(try await rows(log, ["--tool", "updateLead"]) == 0, "a known tool with no records is an empty result, not an error")
    }

    @Test func csvHasColumnsASpreadsheetCanUse() async throws {
        let (temp, log) = try await Self.log("konektor-audit-csv")
        defer { temp.remove() }
        let csv = try await CommandLineRunner.run(["audit", "export", "--log", log, "--format", "csv"])
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines[0] == "seq,time,session,user,kind,call,tool,method,path,lead,rule,decision,answer,by,how,status,requestId,hash,data")
        let response = try #require(lines.first { $0.contains(",http-response,") })
        let cells = response.split(separator: ",", omittingEmptySubsequences: false)
        #expect(cells[6] == "listLeads")
        #expect(cells[15] == "200")
        #expect(cells[16].hasPrefix("3f2b8c1e-9d4a-4e6b-8a7c-"), "the request id column, untouched by redaction")
    }

    @Test func statsAreReadableText() async throws {
        let (temp, log) = try await Self.log("konektor-audit-stats")
        defer { temp.remove() }
        let text = try await CommandLineRunner.run(["audit", "stats", "--log", log])
        #expect(text.stdout.hasPrefix("22 records\n"), "\(text.stdout)")
        #expect(text.stdout.contains("by kind:\n  http-response  20\n"), "\(text.stdout)")
        #expect(text.stdout.contains("by HTTP status:\n  200  20\n"))
        let json = try JSONValue(parsing: try await CommandLineRunner.run(["audit", "stats", "--log", log, "--json"]).stdout)
        #expect(json["records"] == 22)
    }
}
