import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

/// The registry listings (ClawHub, English and Chinese pages) give the same catalog as the Markdown SKILL.md.
///
/// The English page glues table cells together (`MethodGET`,
/// `limitintegerNoItems per page (1–100, default: 50)`); the Chinese page
/// separates them with single spaces and wraps the same English document in
/// Chinese UI text. Both say v2.1.1 on the page; the document inside is 2.2.0.
@Suite struct ListingTests {
    static let englishText = Fixtures.text("clawhub-listing-en.txt")
    static let chineseText = Fixtures.text("clawhub-listing-zh.txt")
    let markdown = SkillParser.parse(Fixtures.skillMarkdown, file: "konektor-SKILL.md")
    let english = SkillParser.parse(Self.englishText, file: "clawhub-listing-en.txt")
    let chinese = SkillParser.parse(Self.chineseText, file: "clawhub-listing-zh.txt")

    /// Every JSON path at which two values differ, `endpoints[2].examples[0].command` style.
    static func differences(_ a: JSONValue, _ b: JSONValue, at path: String = "") -> [String] {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = x.keys + y.keys.filter { x[$0] == nil }
            return keys.flatMap { key -> [String] in
                let p = path.isEmpty ? key : "\(path).\(key)"
                guard let l = x[key], let r = y[key] else { return [p] }
                return differences(l, r, at: p)
            }
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return [path] }
            return zip(x, y).enumerated().flatMap { differences($0.element.0, $0.element.1, at: "\(path)[\($0.offset)]") }
        default:
            return a == b ? [] : [path]
        }
    }

    @Test func theEnglishListingGivesTheMarkdownCatalogExactly() {
        // The golden catalog.json is the Markdown copy's rendering (SkillParserTests.catalogMatchesGoldenFile).
        let golden = Golden.check(english.catalog.jsonValue.jsonString(.pretty) + "\n", named: "catalog.json")
        #expect(golden.matches, "the English listing's catalog differs from golden/catalog.json")
        #expect(Self.differences(markdown.catalog.jsonValue, english.catalog.jsonValue) == [])
        #expect(english.catalog == markdown.catalog)
        #expect(!english.hasErrors)
    }

    /// The Chinese page went through an email obfuscator: every address in the examples reads
    /// `[email protected]` (with a no-break space). The addresses are not in the listing at all, so these five example
    /// values are the only differences; tools, parameters, enums and bounds are identical.
    @Test func theChineseListingDiffersOnlyWhereItsExamplesLostTheirEmailAddresses() throws {
        let expected = try #require(Golden.check(markdown.catalog.jsonValue.jsonString(.pretty) + "\n", named: "catalog.json").expected)
        let differences = Self.differences(try JSONValue(parsing: expected), chinese.catalog.jsonValue)
        #expect(differences == [
            "endpoints[1].examples[0].response.data[0].email",  // List Leads response
            "endpoints[2].examples[0].response.data.email",  // Get Lead response
            "endpoints[3].examples[0].command",  // Create Lead request: the -d body holds the address
            "endpoints[3].examples[0].requestBody.email",
            "endpoints[3].examples[0].response.data.email",
        ])
        #expect(chinese.catalog.tool(named: "createLead")?.examples.first?.requestBody?["email"] == "[email\u{A0}protected]")
        var withoutExamples = chinese.catalog
        var markdownWithoutExamples = markdown.catalog
        for i in withoutExamples.endpoints.indices { withoutExamples.endpoints[i].examples = [] }
        for i in markdownWithoutExamples.endpoints.indices { markdownWithoutExamples.endpoints[i].examples = [] }
        #expect(withoutExamples == markdownWithoutExamples)
        #expect(!chinese.hasErrors)
    }

    @Test(arguments: [0, 1])
    func bothListingsHaveTheElevenToolsOfVersion220(listing: Int) throws {
        let catalog = (listing == 0 ? english : chinese).catalog
        #expect(catalog.tools.count == 11)
        #expect(catalog.tools.map(\.toolName) == markdown.catalog.tools.map(\.toolName))
        #expect(catalog.version == "2.2.0")
        #expect(catalog.title == "Konektor Agent API")
        let limit = try #require(catalog.tool(named: "listLeads")?.parameter(named: "limit"))
        #expect(limit.type == .integer)
        #expect(limit.minimum == 1)
        #expect(limit.maximum == 100)
        #expect(limit.defaultValue == .int(50))
        #expect(catalog.tool(named: "listLeads")?.parameter(named: "assignedTo")?.type == .uuid)
        #expect(catalog.tool(named: "createLead")?.parameter(named: "status")?.enumValues?.count == 11)
        #expect(catalog.tool(named: "updateLead")?.parameters(in: .body).count == 14)
        #expect(catalog.requirements.rows.map(\.key) == ["Authentication", "Environment Variable", "Minimum Scopes", "Base URL", "Transport", "Content-Type"])
        #expect(catalog.errorCodes.map(\.code).last == "INTERNAL_ERROR")
    }

    @Test func markdownAndTheTextRenderingAreLeftAlone() {
        let rendering = SkillParser.parse(Fixtures.skillTextRendering)
        #expect(!markdown.diagnostics.contains { $0.message.contains("split") })
        #expect(!rendering.diagnostics.contains { $0.message.contains("split") })
    }

    @Test func guessedSplitsAreDiagnosedWithTheirLines() throws {
        let header = try #require(english.diagnostics.first { $0.line == 94 })
        #expect(header.severity == .note)
        #expect(header.message.contains("glued together"))
        let byCase = try #require(english.diagnostics.first { $0.line == 536 })
        #expect(byCase.severity == .warning)
        #expect("\(byCase)" == "clawhub-listing-en.txt:536: warning: took 'X-Request-Id' as the Header cell by letter case alone")
        let byVocabulary = try #require(english.diagnostics.first { $0.line == 60 })
        #expect(byVocabulary.severity == .note)
        #expect(byVocabulary.message.contains("'Minimum Scopes'"))
        #expect(chinese.diagnostics.contains { $0.line == 71 && $0.message.contains("separated by spaces") })
        #expect(chinese.diagnostics.contains { $0.line == 513 && $0.severity == .warning && $0.message.contains("'X-Request-Id'") })
    }

    /// The listing with one line replaced.
    static func replacing(line number: Int, in text: String, expecting old: String, with new: String) -> String {
        var lines = text.components(separatedBy: "\n")
        #expect(lines[number - 1] == old)
        lines[number - 1] = new
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [
        (0, "Path/api/v2/agent/leads/:id", "Path/api/v2/agent/../../admin/keys"),
        (0, "Path/api/v2/agent/leads/:id", "Path/api/v2/agent/%2E%2e/admin"),
        (1, "Path /api/v2/agent/leads/:id", "Path /api/v2/agent//leads/:id"),
        (1, "Path /api/v2/agent/leads/:id", "Path //evil.example/api/v2/agent/leads/:id"),
    ])
    func thePathRulesApplyToListings(listing: Int, old: String, new: String) throws {
        let line = listing == 0 ? 147 : 124
        let text = Self.replacing(line: line, in: listing == 0 ? Self.englishText : Self.chineseText, expecting: old, with: new)
        let result = SkillParser.parse(text, file: "hostile-listing.txt")
        #expect(result.catalog.tool(named: "getLead") == nil)
        #expect(result.catalog.tools.count == 10)
        #expect(result.diagnostics.contains { $0.line == line && $0.severity == .error && $0.message.contains("endpoint skipped") })
    }

    @Test func aRowThatFitsNoSplitIsSkippedAndTheTableGoesOn() throws {
        let text = Self.replacing(line: 95, in: Self.englishText, expecting: "pageintegerNoPage number (min: 1)", with: "pagebooleanishMaybe")
        let result = SkillParser.parse(text, file: "edited.txt")
        let list = try #require(result.catalog.tool(named: "listLeads"))
        #expect(list.parameter(named: "page") == nil)
        #expect(list.parameter(named: "limit")?.maximum == 100)
        #expect(list.parameters.count == 12)
        #expect(result.diagnostics.contains { $0.line == 95 && $0.severity == .warning && $0.message.contains("does not fit the columns") })
    }

    @Test func aRowThatSplitsTwoWaysIsAWarning() throws {
        let text = Self.replacing(line: 153, in: Self.englishText, expecting: "idstringLead ID", with: "idstringstring ID")
        let result = SkillParser.parse(text, file: "edited.txt")
        #expect(try #require(result.catalog.tool(named: "getLead")).parameter(named: "id")?.description == "string ID")
        #expect(result.diagnostics.contains { $0.line == 153 && $0.severity == .warning && $0.message.contains("more than one way") })
    }

    @Test func aHostileListingCannotDeclareAWriteAsARead() throws {
        let text = Self.replacing(line: 147, in: Self.englishText, expecting: "Path/api/v2/agent/leads/:id", with: "Path/api/v2/agent/leads/:id/mark-won")
        let tool = try #require(SkillParser.parse(text).catalog.tool(named: "getLead"))
        #expect(tool.mayChangeState)
    }
}

extension ListingTests {
    @Test func aLabelRightUnderAnEndpointTableStaysALabel() throws {
        // Drop the blank line between List Leads' table (ends line 90) and "Query Parameters:" (line 92).
        var lines = Self.englishText.components(separatedBy: "\n")
        #expect(lines[89] == "Scopeagent.leads.read")
        #expect(lines[90] == "")
        lines.remove(at: 90)
        let result = SkillParser.parse(lines.joined(separator: "\n"), file: "edited.txt")
        let list = try #require(result.catalog.tool(named: "listLeads"))
        #expect(list.parameters(in: .query).count == 13)
        #expect(!result.diagnostics.contains { $0.message.contains("without a 'Query Parameters:'") })
    }
}
