import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

/// A SKILL.md is data from the network: its paths and methods are checked, not trusted.
@Suite struct HostilePathTests {
    /// The fixture with Get Lead's path row (line 119) replaced.
    static func withGetLeadPath(_ path: String) -> String {
        var lines = Fixtures.skillMarkdown.components(separatedBy: "\n")
        #expect(lines[118] == "| Path | /api/v2/agent/leads/:id |")
        lines[118] = "| Path | \(path) |"
        return lines.joined(separator: "\n")
    }

    struct Trick: Sendable, CustomTestStringConvertible {
        var path: String
        var problem: PathProblem
        var testDescription: String { path.debugDescription }
    }

    static let tricks: [Trick] = [
        Trick(path: "/api/v2/agent/../../../admin/keys", problem: .dotSegment("..")),
        Trick(path: "/api/v2/agent/./leads/:id", problem: .dotSegment(".")),
        Trick(path: "/api/v2/agent/%2e%2e/admin", problem: .dotSegment("%2e%2e")),
        Trick(path: "/api/v2/agent/%2E%2e/admin", problem: .dotSegment("%2E%2e")),
        Trick(path: "/api/v2/agent/.%2E/admin", problem: .dotSegment(".%2E")),
        Trick(path: "/api/v2/agent/%2e/leads", problem: .dotSegment("%2e")),
        Trick(path: "/api/v2/agent/%252e%252e/admin", problem: .dotSegment("%252e%252e")),
        Trick(path: "/api/v2/agent/..;/admin", problem: .dotSegment("..;")),
        Trick(path: "/api/v2/agent//leads/:id", problem: .emptySegment),
        Trick(path: "/api/v2/agent/leads/", problem: .emptySegment),
        Trick(path: #"/api/v2/agent\..\admin"#, problem: .hiddenSeparator),
        Trick(path: "/api/v2/agent/..%2fadmin", problem: .hiddenSeparator),
        Trick(path: "/api/v2/agent/%5cadmin", problem: .hiddenSeparator),
        Trick(path: "/api/v2/agent/leads?role=admin", problem: .queryOrFragment),
        Trick(path: "/api/v2/agent/leads#admin", problem: .queryOrFragment),
        Trick(path: "/api/v2/agent/le ads", problem: .controlOrWhitespace),
        Trick(path: "/api/v2/agent/le\tads", problem: .controlOrWhitespace),
        Trick(path: "/api/v2/agent/le\u{7}ads", problem: .controlOrWhitespace),
        Trick(path: "/api/v2/agent/le\u{A0}ads", problem: .controlOrWhitespace),
        Trick(path: "/api/v2/agent/le%0aads", problem: .controlOrWhitespace),
        Trick(path: "http://evil.example/api/v2/agent/leads", problem: .otherOrigin),
        Trick(path: "https://evil.example/api/v2/agent/leads", problem: .otherOrigin),
        Trick(path: "//evil.example/api/v2/agent/leads", problem: .otherOrigin),
        Trick(path: "api/v2/agent/leads/:id", problem: .notAbsolute),
        Trick(path: "/api/v2/agent/%zz", problem: .malformedEscape),
        Trick(path: "/api/v2/agent/l\u{0435}ads", problem: .forbiddenCharacter("\u{0435}")),
        Trick(path: "/api/v2/agent/<leads>", problem: .forbiddenCharacter("<")),
        Trick(path: "/api/v2/agent/leads/:", problem: .badParameterName(":")),
    ]

    @Test(arguments: tricks)
    func pathTrickIsAnErrorAndTheEndpointIsDropped(trick: Trick) throws {
        #expect(PathProblem.find(in: trick.path) == trick.problem)
        let result = SkillParser.parse(Self.withGetLeadPath(trick.path), file: "hostile.md")
        #expect(result.catalog.tool(named: "getLead") == nil)
        #expect(!result.catalog.endpoints.contains { $0.pathTemplate == trick.path })
        #expect(result.catalog.tools.count == 10)
        let error = try #require(result.diagnostics.first { $0.severity == .error && $0.message.contains("endpoint skipped") })
        #expect(error.line == 119)
        #expect(error.file == "hostile.md")
        #expect(error.message.contains(trick.problem.description))
        #expect(!error.message.contains("\t"))
        #expect(!error.message.contains("\u{7}"))
    }

    @Test func theDocumentedPathsHaveNoProblem() {
        let paths = SkillParser.parse(Fixtures.skillMarkdown).catalog.endpoints.map(\.pathTemplate)
        #expect(paths.count == 12)
        #expect(paths.compactMap(PathProblem.find(in:)).isEmpty)
        #expect(PathProblem.find(in: "/") == nil)
        #expect(PathProblem.find(in: "/files/report.v2.json") == nil)
        #expect(PathProblem.find(in: "/a/%41b/~user@x") == nil)
    }

    @Test func aGetWhosePathSaysWriteIsSuspectedAndDiagnosed() throws {
        let result = SkillParser.parse(Self.withGetLeadPath("/api/v2/agent/leads/:id/mark-won"), file: "hostile.md")
        let tool = try #require(result.catalog.tool(named: "getLead"))
        #expect(tool.method == "GET")
        #expect(!tool.isWrite)
        #expect(tool.writeSuspicion == WriteSuspicion(verb: "mark", evidence: .path))
        #expect(tool.mayChangeState)
        let warning = try #require(result.diagnostics.first { $0.message.contains("documented as GET") })
        #expect(warning.severity == .warning)
        #expect(warning.line == 116)
        #expect(warning.message.contains("'mark'"))
        #expect(tool.jsonValue["suspectedWrite"]?["verb"] == "mark")
    }

    @Test(arguments: [("/api/v2/agent/leads/:id/delete", "delete"), ("/api/v2/agent/leads/:id/sendEmail", "send"),
                      ("/api/v2/agent/leads/bulk-update/:id", "update"), ("/api/v2/agent/leads/:id/approve_all", "approve")])
    func writeVerbsAnywhereInTheLastLiteralSegment(path: String, verb: String) throws {
        let result = SkillParser.parse(Self.withGetLeadPath(path))
        #expect(try #require(result.catalog.tool(named: "getLead")).writeSuspicion?.verb == verb)
    }

    @Test func aGetWhoseTitleSaysWriteIsSuspected() throws {
        let text = Fixtures.skillMarkdown.replacingOccurrences(of: "### Get Lead\n", with: "### Create Lead Note\n")
        let result = SkillParser.parse(text, file: "hostile.md")
        let tool = try #require(result.catalog.tool(named: "createLeadNote"))
        #expect(tool.method == "GET")
        #expect(tool.writeSuspicion == WriteSuspicion(verb: "create", evidence: .title))
        #expect(result.diagnostics.contains { $0.line == 116 && $0.severity == .warning && $0.message.contains("its title says 'create'") })
    }

    @Test func theRealCatalogHasNoSuspicionAndRendersAsBefore() {
        let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog
        #expect(catalog.endpoints.allSatisfy { $0.writeSuspicion == nil })
        #expect(catalog.tools.filter(\.mayChangeState).map(\.toolName) == ["createLead", "updateLead", "createSupportTicket"])
        #expect(!catalog.jsonValue.jsonString().contains("suspectedWrite"))
    }

    @Test func writeMethodsAreNeverSuspected() {
        #expect(WriteSuspicion.detect(method: "POST", pathTemplate: "/leads/:id/mark-won", title: "Delete Lead") == nil)
        #expect(WriteSuspicion.detect(method: "GET", pathTemplate: "/conversions/status", title: "Conversion Sync Status") == nil)
    }

    @Test func theShippedLexiconIsTheLexiconsFolder() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let folder = url.appendingPathComponent("Lexicons")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(ShippedLexicons.all.map(\.name).sorted() == files)
        for (name, text) in ShippedLexicons.all {
            let file = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(file == text + "\n", "run scripts/bundle-lexicons (\(name))")
        }
        #expect(WriteSuspicion.verbs.contains("mark"))
        #expect(!WriteSuspicion.verbs.contains(where: { $0.contains("#") || $0.contains(" ") }))
    }
}
