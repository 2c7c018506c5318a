import AgentCore
import Foundation
import SkillCatalog
import Testing
import TestSupport

@Suite struct MalformedSkillTests {
    @Test func emptyInputIsAnErrorDiagnosticNotACrash() {
        let result = SkillParser.parse("", file: "empty.md")
        #expect(result.catalog.endpoints.isEmpty)
        #expect(result.hasErrors)
        #expect(result.diagnostics.contains { $0.message.contains("no endpoints found") })
    }

    @Test func endpointTableWithoutPathIsSkippedWithItsLine() {
        let text = """
            # API
            Version: 1.0

            ### Broken
            | | |
            |---|---|
            | Method | GET |
            | Scope | agent.leads.read |
            """
        let result = SkillParser.parse(text, file: "broken.md")
        let error = result.diagnostics.first { $0.severity == .error && $0.message.contains("lacks a Method or Path") }
        #expect(error?.line == 5)
        #expect("\(error!)".hasPrefix("broken.md:5: error:"))
    }

    @Test func unknownTypesAndRequiredValuesAreWarnings() throws {
        let text = """
            # API
            Version: 1.0

            ### List Things
            | | |
            |---|---|
            | Method | GET |
            | Path | /things |
            | Scope | things.read |

            Query Parameters:

            | Parameter | Type | Required | Description |
            |---|---|---|---|
            | flag | boolean | Maybe | A flag |
            | limit | integer | No | Items (5–1, default: x) |
            """
        let result = SkillParser.parse(text, file: "t.md")
        let tool = try #require(result.catalog.tool(named: "listThings"))
        #expect(tool.parameter(named: "flag")?.type == .string)
        #expect(result.diagnostics.contains { $0.line == 15 && $0.message.contains("unknown type 'boolean'") })
        #expect(result.diagnostics.contains { $0.line == 15 && $0.message.contains("Yes or No") })
        #expect(result.diagnostics.contains { $0.line == 16 && $0.message.contains("reversed") })
        #expect(result.diagnostics.contains { $0.line == 16 && $0.message.contains("not an integer") })
        #expect(tool.parameter(named: "limit")?.minimum == nil)
    }

    @Test func unresolvableAndCircularReferencesAreDiagnosed() {
        let text = """
            # API
            Version: 1.0

            ### Alpha
            | | |
            |---|---|
            | Method | GET |
            | Path | /alpha |
            | Scope | s |

            Query Parameters: Same as Beta.

            ### Beta
            | | |
            |---|---|
            | Method | GET |
            | Path | /beta |
            | Scope | s |

            Query Parameters: Same as Alpha.

            ### Gamma
            | | |
            |---|---|
            | Method | GET |
            | Path | /gamma |
            | Scope | s |

            Query Parameters: Same as Nothing Here.
            """
        let result = SkillParser.parse(text, file: "refs.md")
        #expect(result.catalog.endpoints.count == 3)
        #expect(result.diagnostics.contains { $0.line == 29 && $0.message.contains("names no other endpoint") })
        #expect(result.diagnostics.contains { $0.message.contains("circular") })
    }

    @Test func undocumentedPathParameterIsAddedAsRequiredString() throws {
        let text = """
            # API
            Version: 1.0

            ### Get Thing
            | | |
            |---|---|
            | Method | GET |
            | Path | /things/:thingId |
            | Scope | s |
            """
        let result = SkillParser.parse(text)
        let parameter = try #require(result.catalog.tool(named: "getThing")?.parameter(named: "thingId"))
        #expect(parameter.required && parameter.location == .path)
        #expect(result.diagnostics.contains { $0.message.contains("'thingId'") && $0.severity == .warning })
    }

    @Test func duplicateEndpointsAreRefused() {
        let table = """
            ### List Leads
            | | |
            |---|---|
            | Method | GET |
            | Path | /leads |
            | Scope | s |

            """
        let result = SkillParser.parse("# API\nVersion: 1\n\n" + table + table)
        #expect(result.catalog.endpoints.count == 1)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains("second endpoint named 'listLeads'") })
    }

    /// Thousands of truncations and mutations of every rendering: always a catalog and diagnostics, never a crash or hang.
    @Test(arguments: [0, 1, 2, 3])
    func mutationsNeverCrash(shape: Int) {
        let source = [Fixtures.skillMarkdown, Fixtures.skillTextRendering, Fixtures.text("clawhub-listing-en.txt"), Fixtures.text("clawhub-listing-zh.txt")][shape]
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let bytes = Array(source.utf8)
        var rng = SeededGenerator(seed: 0xC0FFEE + UInt64(shape))
        let junk = ["|", "```", "{", "}", "[", "Example:", "Query Parameters: Same as Get Lead.", "### ", "| Method | GET |",
                    "| Path | /x/:id |", "MethodGET", "Path/x/:id", "ParameterTypeRequiredDescription", "idintegerNo", "Key Value", "${x}", "(", ")", "–", "default:", "| string | No | | |", "\u{0}", "é", "curl -X POST -d '{"]
        // The listings share most of their text with the first two shapes, so fewer rounds cover them.
        for round in 0..<(shape < 2 ? 1500 : 500) {
            var text: String
            switch round % 5 {
            case 0:
                text = String(decoding: bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)), as: UTF8.self)
            case 1:
                var copy = lines
                for _ in 0..<Int.random(in: 1...20, using: &rng) where !copy.isEmpty {
                    copy.remove(at: Int.random(in: 0..<copy.count, using: &rng))
                }
                text = copy.joined(separator: "\n")
            case 2:
                var copy = lines
                for _ in 0..<Int.random(in: 1...20, using: &rng) {
                    let i = Int.random(in: 0..<copy.count, using: &rng)
                    let j = Int.random(in: 0..<copy.count, using: &rng)
                    copy.swapAt(i, j)
                }
                text = copy.joined(separator: "\n")
            case 3:
                var copy = lines
                for _ in 0..<Int.random(in: 1...30, using: &rng) {
                    let i = Int.random(in: 0...copy.count, using: &rng)
                    copy.insert(junk.randomElement(using: &rng)!, at: i)
                }
                text = copy.joined(separator: "\n")
            default:
                var copy = bytes
                for _ in 0..<Int.random(in: 1...50, using: &rng) {
                    copy[Int.random(in: 0..<copy.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                text = String(decoding: copy, as: UTF8.self)
            }
            let result = SkillParser.parse(text, file: "mutant.md")
            let names = result.catalog.endpoints.map(\.toolName)
            #expect(Set(names).count == names.count)
            #expect(result.catalog.endpoints.allSatisfy { $0.pathTemplate.hasPrefix("/") })
            #expect(result.diagnostics.allSatisfy { $0.line >= 1 })
            if result.catalog.endpoints.isEmpty { #expect(result.hasErrors) }
            // Whatever survived must still render and validate without trapping.
            _ = result.catalog.openAPIDocument().jsonString()
            for tool in result.catalog.tools { _ = result.catalog.validate(tool: tool.toolName, arguments: ["id": "x", "limit": "5"]) }
        }
    }
}
