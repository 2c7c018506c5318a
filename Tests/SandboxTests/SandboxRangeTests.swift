import AgentCore
import Foundation
import Testing
import TestSupport
@testable import Sandbox

/// Numbers at the edges of what the schema allows: answered or refused with details, never a crash.
@Suite struct SandboxRangeTests {
    /// schemathesis found it: `(page - 1) * limit` overflowed and killed the process (illegal instruction).
    @Test func aPageFarPastTheEndIsAnEmptyPage() async throws {
        let h = try await SandboxHarness(leads: 10)
        defer { Task { await h.shutdown() } }
        let far = try await h.get("/api/v2/agent/leads?page=200000000000000000&limit=100")
        #expect(far.status == 200)
        #expect(far.data.arrayValue?.isEmpty == true)
        #expect(far.json["pagination"]?["page"] == .int(200_000_000_000_000_000))
        let largest = try await h.get("/api/v2/agent/leads?page=\(Int.max)&limit=100")
        #expect(largest.status == 200)
        #expect(largest.data.arrayValue?.isEmpty == true)
        // The server is still there.
        #expect(try await h.get("/api/v2/agent/leads?limit=1").data.arrayValue?.count == 1)
    }

    @Test func numbersBeyondSixtyFourBitsAreRefusedWithDetails() async throws {
        let h = try await SandboxHarness(leads: 10)
        defer { Task { await h.shutdown() } }
        for query in ["page=99999999999999999999999", "page=0", "page=-1", "limit=0", "limit=101", "limit=1e400", "page=1.5"] {
            let reply = try await h.send("GET", "/api/v2/agent/leads?\(query)")
            #expect(reply.status == 400, "\(query): \(reply.text)")
            #expect(reply.errorCode == "VALIDATION_ERROR", "\(query)")
            #expect(reply.details.objectValue?.isEmpty == false, "\(query): the details name the parameter")
        }
    }

    /// schemathesis found it: lengths were counted in Characters, so 150 letters with a combining accent each (300 code points) passed "max 200".
    @Test func lengthsAreCountedInCodePointsAsJSONSchemaDoes() async throws {
        let h = try await SandboxHarness(leads: 10)
        defer { Task { await h.shutdown() } }
        let accented = String(repeating: "e%CC%81", count: 150)
        let reply = try await h.send("GET", "/api/v2/agent/leads?search=\(accented)")
        #expect(reply.status == 400, "\(reply.text)")
        #expect(reply.details["search"] == "String must contain at most 200 character(s)")
        let plain = try await h.send("GET", "/api/v2/agent/leads?search=\(String(repeating: "e%CC%81", count: 100))")
        #expect(plain.status == 200, "200 code points are within the bound")
    }
}
