import AgentCore
import Foundation
import Testing
import TestSupport
@testable import Sandbox

/// Authentication, authorization, validation and the error envelope.
@Suite struct SandboxErrorTests {
    static func isUUID(_ s: String?) -> Bool {
        guard let s else { return false }
        return UUID(uuidString: s) != nil
    }

    @Test func authenticationFailuresAre401WithRateLimitHeaders() async throws {
        let h = try await SandboxHarness(leads: 10)
        defer { Task { await h.shutdown() } }
        let cases: [(String?, [(String, String)], String)] = [
            (nil, [], "Missing Authorization header"),
            (nil, [("Authorization", "Token abc")], "Malformed Authorization header"),
            ("knk_demo_nobody_000", [], "Invalid API key"),
            ("revoked", [], "revoked"),
            ("expired", [], "expired"),
        ]
        for (key, headers, message) in cases {
            let reply = try await h.send("GET", "/api/v2/agent/leads", key: key, headers: headers)
            #expect(reply.status == 401)
            #expect(reply.errorCode == "UNAUTHORIZED")
            #expect(reply.json["error"]?["message"]?.stringValue?.contains(message) == true, "\(reply.text)")
            #expect(reply.json["success"] == false && reply.json["error"]?["details"] == .null)
            #expect(Self.isUUID(reply.headers["x-request-id"]))
            #expect(reply.headers["x-ratelimit-limit"] != nil && reply.headers["x-ratelimit-remaining"] != nil && reply.headers["x-ratelimit-reset"] != nil)
        }
    }

    @Test func scopePlanAndAllowlistAre403() async throws {
        let h = try await SandboxHarness(leads: 10)
        defer { Task { await h.shutdown() } }
        let scope = try await h.post("/api/v2/agent/leads", ["firstName": "A"], key: "analyst")
        #expect(scope.status == 403 && scope.errorCode == "FORBIDDEN")
        #expect(scope.json["error"]?["message"] == "API key lacks scope agent.leads.write")
        #expect(scope.headers["x-ratelimit-limit"] == "200")
        let leadsOnly = try await h.get("/api/v2/agent/analytics/summary", key: "leads")
        #expect(leadsOnly.status == 403)
        let free = try await h.get("/api/v2/agent/leads", key: "free")
        #expect(free.status == 403 && free.json["error"]?["message"]?.stringValue?.contains("free plan") == true)
        let ip = try await h.get("/api/v2/agent/leads", key: "ip-restricted")
        #expect(ip.status == 403 && ip.json["error"]?["message"]?.stringValue?.contains("127.0.0.1") == true)
        #expect(try await h.get("/api/v2/agent/leads?limit=1", key: "analyst").status == 200)
    }

    @Test func validationErrorsNameEachField() async throws {
        let h = try await SandboxHarness(leads: 10)
        defer { Task { await h.shutdown() } }
        let create = try await h.post("/api/v2/agent/leads", ["email": "not-an-email", "colour": "blue"])
        #expect(create.status == 400 && create.errorCode == "VALIDATION_ERROR")
        #expect(create.details["firstName"] == "Required")
        #expect(create.details["email"] == "Invalid email")
        #expect(create.details["colour"] == "Unknown field")
        let list = try await h.get("/api/v2/agent/leads?limit=101&status=archived&search=" + String(repeating: "x", count: 201))
        #expect(list.details["limit"] == "Number must be less than or equal to 100")
        #expect(list.details["status"]?.stringValue?.hasPrefix("Invalid enum value") == true)
        #expect(list.details["search"] == "String must contain at most 200 character(s)")
        #expect(try await h.get("/api/v2/agent/leads?limit=abc").details["limit"] == "Expected integer, received string")
        #expect(try await h.get("/api/v2/agent/leads?limit=0").details["limit"] == "Number must be greater than or equal to 1")
        let range = try await h.get("/api/v2/agent/analytics/summary?from=2026-11-20&to=2026-11-01")
        #expect(range.status == 400 && range.details["from"] == "Must not be after 'to'")
        #expect(try await h.get("/api/v2/agent/leads?createdFrom=2026-11-20&createdTo=2026-11-01").details["createdFrom"] != nil)
        let malformed = try await h.send("POST", "/api/v2/agent/leads", body: "{\"firstName\": ")
        #expect(malformed.status == 400 && malformed.details["body"]?.stringValue?.hasPrefix("Malformed JSON") == true)
        let notObject = try await h.send("POST", "/api/v2/agent/leads", body: "[1]")
        #expect(notObject.details["body"] == "Expected a JSON object")
        let wrongType = try await h.send("POST", "/api/v2/agent/leads", body: "{\"firstName\":\"A\"}", contentType: "text/plain")
        #expect(wrongType.status == 400 && wrongType.details["Content-Type"] != nil)
        let emptyPatch = try await h.patch("/api/v2/agent/leads/whatever", [:])
        #expect(emptyPatch.status == 400)
    }

    @Test func notFoundForUnknownAndSoftDeletedLeadsAndRoutes() async throws {
        let h = try await SandboxHarness(leads: 400)
        defer { Task { await h.shutdown() } }
        #expect(try await h.get("/api/v2/agent/leads/lead_missing").errorCode == "NOT_FOUND")
        let deleted = try await h.sandbox.server.api.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM leads WHERE deletedAt IS NOT NULL LIMIT 1")
        }
        let deletedId = try #require(deleted, "the seed soft-deletes about 1% of leads")
        let gone = try await h.get("/api/v2/agent/leads/\(deletedId)")
        #expect(gone.status == 404 && gone.errorCode == "NOT_FOUND")
        #expect(try await h.get("/api/v2/agent/leads?search=\(deletedId)").data.arrayValue?.isEmpty == true)
        let route = try await h.get("/api/v2/agent/nothing/here")
        #expect(route.status == 404 && route.errorCode == "NOT_FOUND" && Self.isUUID(route.headers["x-request-id"]))
        let method = try await h.send("DELETE", "/api/v2/agent/leads/lead_x")
        #expect(method.status == 405 && method.headers["allow"] == "GET, PATCH" && method.json["success"] == false)
        let update = try await h.patch("/api/v2/agent/leads/lead_missing", ["status": "won"])
        #expect(update.status == 404)
    }

    @Test func internalFailureGivesInternalErrorWithTheRequestId() async throws {
        let h = try await SandboxHarness(leads: 0)
        defer { Task { await h.shutdown() } }
        try await h.sandbox.server.api.database.writer.write { db in try db.execute(sql: "DROP TABLE tickets") }
        let reply = try await h.post("/api/v2/agent/support/tickets", ["subject": "Pixel down", "message": "Help"])
        #expect(reply.status == 500 && reply.errorCode == "INTERNAL_ERROR")
        let id = try #require(reply.headers["x-request-id"])
        #expect(reply.json["error"]?["message"]?.stringValue?.contains(id) == true)
        #expect(reply.text.contains("tickets") == false, "no SQL or schema detail leaks to the client")
    }

    @Test func rateLimitWindowIsSharedByTheWorkspaceAndResets() async throws {
        let h = try await SandboxHarness(leads: 0)
        defer { Task { await h.shutdown() } }
        // Align to the start of a window so the whole test stays inside one minute of the manual clock.
        for i in 0..<200 {
            let reply = try await h.get("/api/v2/agent/workspace", key: i % 2 == 0 ? "full" : "analyst")
            #expect(reply.status == 200)
            if i == 0 { #expect(reply.headers["x-ratelimit-remaining"] == "199") }
        }
        let limited = try await h.get("/api/v2/agent/workspace", key: "leads")
        #expect(limited.status == 429 && limited.errorCode == "RATE_LIMITED")
        #expect(limited.headers["retry-after"] == "60")
        #expect(limited.headers["x-ratelimit-remaining"] == "0")
        #expect(limited.headers["x-ratelimit-reset"] == "1795402860")
        h.clock.advance(by: 30)
        #expect(try await h.get("/api/v2/agent/workspace").headers["retry-after"] == "30")
        h.clock.advance(by: 30)
        let fresh = try await h.get("/api/v2/agent/workspace")
        #expect(fresh.status == 200 && fresh.headers["x-ratelimit-remaining"] == "199")
        // Another workspace has its own window.
        #expect(try await h.get("/api/v2/agent/workspace", key: "free").headers["x-ratelimit-limit"] == "60")
    }

    @Test func dailyLeadLimitIsEnforced() async throws {
        let h = try await SandboxHarness(leads: 0, rateLimitScale: 10)
        defer { Task { await h.shutdown() } }
        let api = h.sandbox.server.api
        let key = h.key("full")
        for n in 0..<500 {
            let reply = await api.respond(to: .init(method: "POST", path: "/api/v2/agent/leads", authorization: "Bearer \(key)",
                                                    contentType: "application/json", body: Array("{\"firstName\":\"L\(n)\"}".utf8)))
            #expect(reply.status == 201)
        }
        let refused = try await h.post("/api/v2/agent/leads", ["firstName": "One too many"])
        #expect(refused.status == 403 && refused.details["leadsPerDay"]?["current"] == 500)
        #expect(try await h.get("/api/v2/agent/workspace").data["usage"]?["leadsPerDay"]?["current"] == 500)
        h.clock.advance(by: 86_400)
        #expect(try await h.post("/api/v2/agent/leads", ["firstName": "Tomorrow"]).status == 201)
    }

    /// Regressions for what schemathesis found against the served OpenAPI document.
    @Test func schemathesisFindingsStayFixed() async throws {
        let h = try await SandboxHarness(leads: 20)
        defer { Task { await h.shutdown() } }
        let options = try await h.send("OPTIONS", "/api/v2/agent/leads/upsert")
        #expect(options.status == 405 && options.headers["allow"] == "POST")
        let trace = try await h.send("TRACE", "/api/v2/agent/SKILL.md", key: nil)
        #expect(trace.status == 405 && trace.headers["allow"] == "GET, HEAD")
        let nullPriority = try await h.send("POST", "/api/v2/agent/support/tickets", body: #"{"subject":"Pixel","message":"down","priority":null}"#)
        #expect(nullPriority.status == 400 && nullPriority.details["priority"] == "Expected string, received null")
        #expect(try await h.get("/api/v2/agent/leads?cursor=&limit=1").status == 200)
        #expect(try await h.get("/api/v2/agent/analytics/summary?to=2026-11-23T04:36:58.156612-22:22").status == 200)
        let blank = try await h.post("/api/v2/agent/leads", ["firstName": "Kosong", "uniqueCode": ""])
        #expect(blank.status == 201 && blank.data["uniqueCode"]?.stringValue?.hasPrefix("KNK-") == true)
        let id = try #require(blank.data["id"]?.stringValue)
        #expect(try await h.patch("/api/v2/agent/leads/\(id)", ["uniqueCode": ""]).details["uniqueCode"] == "Cannot be cleared")
        let cleared = try await h.patch("/api/v2/agent/leads/\(id)", ["notes": "x", "assignedTo": .null])
        #expect(cleared.status == 200)
    }
}
