import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

@Suite struct RenderingTests {
    let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    @Test func inputSchemasAreClosedObjects() async throws {
        let schema = Catalog.inputSchema(for: try #require(catalog.tool(named: "createLead")))
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"] == ["firstName"])
        #expect(schema["properties"]?["email"]?["format"] == "email")
        #expect(schema["properties"]?["assignedTo"]?["format"] == "uuid")
        let get = Catalog.inputSchema(for: try #require(catalog.tool(named: "getLead")))
        #expect(get["properties"]?["id"]?["pattern"] == "^(?!\\.\\.?$)[^/\\\\\\u0000-\\u001f\\u007f]+$")
    }

    @Test func toolArraysHaveEveryToolAndAreCompact() async throws {
        let openAI = try #require(catalog.openAITools().arrayValue)
        let anthropic = try #require(catalog.anthropicTools().arrayValue)
        #expect(openAI.count == 11 && anthropic.count == 11)
        #expect(openAI[0]["type"] == "function")
        #expect(openAI[0]["function"]?["name"] == "listLeads")
        #expect(openAI[0]["function"]?["parameters"]?["properties"]?["status"]?["description"] == "Filter by status")
        #expect(anthropic[0]["input_schema"]?["type"] == "object")
        #expect(anthropic[0]["input_schema"]?["$schema"] == nil)
        let skillSize = Double(Fixtures.skillMarkdown.utf8.count)
        let ratio = Double(catalog.openAITools().jsonString().utf8.count) / skillSize
        #expect(ratio < 0.75, "openai tools are \(ratio) of SKILL.md")
        #expect(catalog.openAITools(only: ["getWorkspace"]).arrayValue?.count == 1)
    }

    @Test func textTableMatchesGolden() {
        let golden = Golden.check(catalog.textTable(), named: "catalog.txt")
        #expect(golden.matches, "catalog text differs from golden/catalog.txt")
    }

    @Test func openAPIDocumentShape() async throws {
        let doc = catalog.openAPIDocument()
        #expect(doc["openapi"] == "3.1.0")
        #expect(doc["info"]?["version"] == "2.2.0")
        let lead = try #require(doc["paths"]?["/api/v2/agent/leads/{id}"])
        #expect(lead["get"]?["operationId"] == "getLead")
        #expect(lead["patch"]?["operationId"] == "updateLead")
        #expect(lead["get"]?["parameters"]?.arrayValue?.first?["in"] == "path")
        #expect(doc["paths"]?["/api/v2/agent/SKILL.md"]?["get"]?["security"] == [])
        #expect(doc["paths"]?["/api/v2/agent/leads"]?["post"]?["responses"]?["201"] != nil)
        // Found by schemathesis: an update needs a field, may clear optional ones with null, and always has a body.
        let patch = try #require(lead["patch"]?["requestBody"])
        #expect(patch["required"] == true)
        let schema = try #require(patch["content"]?["application/json"]?["schema"])
        #expect(schema["minProperties"] == 1)
        #expect(schema["properties"]?["notes"]?["type"] == ["string", "null"])
        // Found by schemathesis in CI: `enum` is checked apart from `type`, so a field that may be cleared lists null among its values.
        #expect(schema["properties"]?["source"]?["enum"]?.arrayValue?.last == .null)
    }

    /// The document must pass a standard validator: openapi-spec-validator from PyPI (`scripts/test` installs it).
    @Test func openAPIDocumentPassesOpenAPISpecValidator() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("openapi.json")
        try catalog.openAPIDocument().jsonString(.pretty).write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json,sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(open(sys.argv[1])))\nprint('valid')",
            file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: await CommandLineRunner.readToEnd(output.fileHandleForReading), as: UTF8.self)
        await CommandLineRunner.wait(process)
        #expect(process.terminationStatus == 0, "openapi-spec-validator said: \(text)")
        #expect(text.contains("valid"))
    }
}

@Suite struct SkillMarkdownRoundTripTests {
    @Test func renderedSkillParsesBackToTheSameCatalog() {
        let original = SkillParser.parse(Fixtures.skillMarkdown).catalog
        let rendered = original.skillMarkdown()
        let again = SkillParser.parse(rendered, file: "rendered.md")
        #expect(again.catalog.endpoints == original.endpoints)
        #expect(again.catalog.scopes == original.scopes)
        #expect(again.catalog.rateLimits == original.rateLimits)
        #expect(again.catalog.errorCodes == original.errorCodes)
        #expect(!again.hasErrors)
    }
}
