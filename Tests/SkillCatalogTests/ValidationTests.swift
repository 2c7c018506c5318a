import AgentCore
import SkillCatalog
import Testing
import TestSupport

@Suite struct ValidationTests {
    let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    func details(_ tool: String, _ arguments: JSONObject) -> JSONObject? {
        if case .failure(let error) = catalog.validate(tool: tool, arguments: arguments) { return error.details }
        return nil
    }

    func valid(_ tool: String, _ arguments: JSONObject) throws -> ValidatedCall {
        try catalog.validate(tool: tool, arguments: arguments).get()
    }

    @Test func numericStringsAreNormalised() throws {
        let call = try valid("listLeads", ["limit": "50", "page": 2.0, "status": "new"])
        #expect(call.arguments["limit"] == .int(50))
        #expect(call.arguments["page"] == .int(2))
        #expect(call.query.map { "\($0.key)=\($0.value)" } == ["page=2", "limit=50", "status=new"])
        #expect(call.target == "/api/v2/agent/leads?page=2&limit=50&status=new")
        #expect(call.body == nil)
        let create = try valid("createLead", ["firstName": "Andi", "estimatedValue": "5000000"])
        #expect(create.body?["estimatedValue"] == .int(5_000_000))
    }

    @Test func wrongTypesAreNamed() {
        #expect(details("listLeads", ["limit": "abc"])?["limit"] == "Expected integer, received string")
        #expect(details("listLeads", ["limit": 2.5])?["limit"] == "Expected integer, received number")
        #expect(details("listLeads", ["page": true])?["page"] == "Expected integer, received boolean")
        #expect(details("createLead", ["firstName": 42])?["firstName"] == "Expected string, received integer")
        #expect(details("createLead", ["firstName": "A", "actualValue": "lots"])?["actualValue"] == "Expected number, received string")
    }

    @Test func enumsBoundsAndLengths() {
        #expect(details("listLeads", ["status": "bogus"])?["status"]?.stringValue?.hasPrefix("Invalid enum value. Expected 'pageview' | 'new'") == true)
        #expect(details("listLeads", ["limit": 0])?["limit"] == "Number must be greater than or equal to 1")
        #expect(details("listLeads", ["limit": 101])?["limit"] == "Number must be less than or equal to 100")
        #expect(details("listLeads", ["page": 0])?["page"] == "Number must be greater than or equal to 1")
        #expect(details("listLeads", ["search": .string(String(repeating: "x", count: 201))])?["search"] == "String must contain at most 200 character(s)")
        #expect(details("createSupportTicket", ["subject": "hi", "message": "m"])?["subject"] == "String must contain at least 3 character(s)")
        #expect(details("createLead", ["firstName": ""])?["firstName"] == "String must contain at least 1 character(s)")
        #expect(details("createLead", ["firstName": "A", "status": "maybe"]) != nil)
    }

    @Test func formats() {
        #expect(details("listLeads", ["assignedTo": "not-a-uuid"])?["assignedTo"] == "Invalid uuid")
        #expect(details("listLeads", ["assignedTo": "3f2b8c1e-9d4a-4e6b-8a7c-1b2c3d4e5f60"]) == nil)
        #expect(details("listLeads", ["createdFrom": "yesterday"])?["createdFrom"]?.stringValue?.hasPrefix("Invalid datetime") == true)
        #expect(details("listLeads", ["createdFrom": "2025-02-30"]) != nil)
        for ok in ["2025-01-15", "2025-01-15T10:30:00.000Z", "2025-01-15T10:30+07:00", "2024-02-29T00:00:00Z"] {
            #expect(details("listLeads", ["createdFrom": .string(ok)]) == nil, "\(ok)")
        }
        #expect(details("createLead", ["firstName": "A", "email": "budi@"])?["email"] == "Invalid email")
        #expect(details("createLead", ["firstName": "A", "email": "budi@example.co.id"]) == nil)
    }

    @Test func requiredAndUnknownArgumentsAreReportedTogether() throws {
        let d = try #require(details("createLead", ["email": "not-an-email", "favouriteColour": "blue"]))
        #expect(d["firstName"] == "Required")
        #expect(d["email"] == "Invalid email")
        #expect(d["favouriteColour"] == "Unknown argument")
        #expect(details("getLead", [:])?["id"] == "Required")
        #expect(details("getLead", ["id": .null])?["id"] == "Required")
        #expect(details("noSuchTool", [:])?["tool"]?.stringValue?.hasPrefix("Unknown tool 'noSuchTool'") == true)
    }

    @Test func pathParametersCannotEscapeTheirSegment() throws {
        #expect(details("getLead", ["id": "../workspace"])?["id"] == "Must not contain '/' or '\\'")
        #expect(details("getLead", ["id": ".."])?["id"] == "Must not be '.' or '..'")
        #expect(details("getLead", ["id": "."])?["id"] == "Must not be '.' or '..'")
        #expect(details("getLead", ["id": ""])?["id"] == "Must not be empty")
        #expect(details("getLead", ["id": "a\nb"])?["id"] == "Must not contain control characters")
        #expect(try valid("getLead", ["id": "lead_abc123"]).path == "/api/v2/agent/leads/lead_abc123")
        #expect(try valid("getLead", ["id": "CRM 1024?x=1#y"]).path == "/api/v2/agent/leads/CRM%201024%3Fx%3D1%23y")
        #expect(try valid("getLead", ["id": "%2e%2e"]).path == "/api/v2/agent/leads/%252e%252e")
    }

    @Test func writesCarryTheirBodyAndNullsClearOptionalFields() throws {
        let update = try valid("updateLead", ["id": "lead_1", "status": "qualified", "assignedTo": .null])
        #expect(update.path == "/api/v2/agent/leads/lead_1")
        #expect(update.body == ["status": "qualified", "assignedTo": .null])
        #expect(update.query.isEmpty)
        let empty = try valid("createSupportTicket", ["subject": "Pixel", "message": "Not firing"])
        #expect(empty.body == ["subject": "Pixel", "message": "Not firing"])
    }

    @Test func errorDescriptionNamesToolAndArguments() throws {
        guard case .failure(let error) = catalog.validate(tool: "listLeads", arguments: ["limit": "abc", "x": 1]) else {
            Issue.record("expected a failure")
            return
        }
        #expect("\(error)" == "invalid arguments for listLeads: x: Unknown argument; limit: Expected integer, received string")
    }
}
