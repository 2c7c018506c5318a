import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

/// The reader is linear: a document of megabytes parses completely.
///
/// Not timed (a timing assertion would be flaky on a shared machine): a
/// quadratic step makes this suite take minutes instead of a fraction of a
/// second, which is the regression signal. Speed is `konektor bench catalog`.
@Suite struct LargeDocumentTests {
    @Test func aTwoMegabyteDocumentYieldsEveryCopysEndpointsAndDiagnostics() {
        let one = SkillParser.parse(EnlargedSkill(from: Fixtures.skillMarkdown, atLeast: 1).text)
        let two = SkillParser.parse(EnlargedSkill(from: Fixtures.skillMarkdown, atLeast: Fixtures.skillMarkdown.utf8.count + 2).text)
        let large = EnlargedSkill(from: Fixtures.skillMarkdown, atLeast: 2 * 1024 * 1024)
        #expect(large.text.utf8.count >= 2 * 1024 * 1024)
        #expect(large.copies > 100)
        let result = SkillParser.parse(large.text, file: "large.md")
        #expect(one.catalog.endpoints.count == 12)
        #expect(two.catalog.endpoints.count == 24)
        #expect(result.catalog.endpoints.count == 12 * large.copies)
        #expect(Set(result.catalog.endpoints.map(\.toolName)).count == 12 * large.copies)
        #expect(!result.hasErrors)
        // Diagnostics grow by the same number with each copy: the first copy's, then a fixed count per copy.
        let perCopy = two.diagnostics.count - one.diagnostics.count
        #expect(perCopy > 0)
        #expect(result.diagnostics.count == one.diagnostics.count + perCopy * (large.copies - 1))
        // The last copy is read as fully as the first: same parameters, borrowed ones included.
        let last = "Copy\(large.copies)"
        let first = one.catalog.tools.map { $0.parameters.map(\.name) }
        let copied = result.catalog.tools.filter { $0.toolName.hasSuffix(last) }.map { $0.parameters.map(\.name) }
        #expect(copied == first)
        #expect(result.catalog.tool(named: "updateLead\(last)")?.parameters(in: .body).count == 14)
    }

    @Test func oneLargeParameterTableAndManyValueListsParse() {
        let rows = (0..<40_000).map { "| p\($0) | integer | No | Page number (min: 1) |" }.joined(separator: "\n")
        let lists = (0..<40_000).map { "List \(Self.letters($0)): a, b, c" }.joined(separator: "\n")
        let text = """
            # API
            Version: 1.0

            ### List Things
            | | |
            |---|---|
            | Method | GET |
            | Path | /things |
            | Scope | s |

            Query Parameters:

            | Parameter | Type | Required | Description |
            |---|---|---|---|
            \(rows)
            | p7 | integer | No | twice |

            \(lists)
            List \(Self.letters(0)): d, e
            """
        let result = SkillParser.parse(text, file: "wide.md")
        #expect(result.catalog.tool(named: "listThings")?.parameters.count == 40_000)
        #expect(result.catalog.valueLists.count == 40_000)
        #expect(result.diagnostics.filter { $0.message.contains("listed twice") }.map(\.line) == [40_015])
        #expect(result.diagnostics.filter { $0.message.contains("appears twice") }.count == 1)
    }

    @Test func aLongChainOfReferencesResolvesEveryLink() throws {
        let count = 3000
        var text = "# API\nVersion: 1.0\n\n"
        for k in 0..<count {
            text += "### Chain \(k)\n| | |\n|---|---|\n| Method | GET |\n| Path | /chain/\(k) |\n| Scope | s |\n\n"
            text += k == count - 1
                ? "Query Parameters:\n\n| Parameter | Type | Required | Description |\n|---|---|---|---|\n| deep | integer | No | The end |\n\n"
                : "Query Parameters: Same as Chain \(k + 1).\n\n"
        }
        let result = SkillParser.parse(text)
        #expect(result.catalog.endpoints.count == count)
        #expect(result.catalog.tools.allSatisfy { $0.parameter(named: "deep") != nil })
        #expect(!result.hasErrors)
    }

    /// `A`, `B`, …, `Z`, `AA`, …: distinct list names made of letters only.
    static func letters(_ n: Int) -> String {
        var n = n
        var s = ""
        repeat {
            s = String(UnicodeScalar(UInt8(65 + n % 26))) + s
            n = n / 26 - 1
        } while n >= 0
        return s
    }
}
