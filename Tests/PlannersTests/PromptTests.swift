import AgentCore
import Foundation
import Planners
import Testing
import TestSupport

@Suite struct PromptTests {
    static var promptsDirectory: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Prompts")
    }

    @Test func theShippedPromptsAreThePromptsFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.promptsDirectory.path).filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        #expect(ShippedPrompts.all.map(\.name).sorted() == files)
        for (name, text) in ShippedPrompts.all {
            let file = try String(contentsOf: Self.promptsDirectory.appendingPathComponent(name), encoding: .utf8)
            #expect(file == text + "\n", "run scripts/bundle-prompts (\(name))")
            _ = try PromptTemplate(text, file: name)
        }
    }

    @Test func renderingFillsTheWorkspaceThePolicyAndTheAnswerStyle() {
        let context = PlanningContext(transcript: [.user("hi")], tools: ["listLeads"], workspace: RuntimeFixture.workspace,
                                      policySummary: "Policy analyst: reads only.\n- listLeads: runs")
        let text = SystemPrompt.shipped.render(context)
        #expect(text.contains("- Name: Toko Budi Online"))
        #expect(text.contains("now is 2026-11-23T10:00+07:00 (today is 2026-11-23, a Monday)"), "now in the workspace's zone")
        #expect(text.contains("Policy analyst: reads only.\n- listLeads: runs"))
        #expect(text.contains("Dates in the workspace's format (DD/MM/YYYY)"), "answer-style.md is filled in too")
        #expect(!text.contains("{{"))
    }

    @Test func anUnknownPlaceholderNamesItsFileAndLine() throws {
        #expect { try PromptTemplate("line one\nWorkspace {{workspace.nmae}}\n", file: "mine.md") } throws: {
            "\($0)".hasPrefix("mine.md:2: error: unknown placeholder {{workspace.nmae}}")
        }
        #expect { try PromptTemplate("{{today", file: "x.md") } throws: { "\($0)".hasPrefix("x.md:1: error: '{{' is not closed") }
    }

    @Test func aFileInTheConfigFolderReplacesTheShippedOne() throws {
        let temp = try TemporaryDirectory("konektor-prompts")
        defer { temp.remove() }
        try "You answer only about {{workspace.name}}. {{answerStyle}}".write(to: temp.appending("system.md"), atomically: true, encoding: .utf8)
        let prompt = try SystemPrompt.load(overridesIn: temp.url)
        let text = prompt.render(PlanningContext(transcript: [], tools: [], workspace: RuntimeFixture.workspace))
        #expect(text.hasPrefix("You answer only about Toko Budi Online. ## How to write the answer"))
        try "Bad {{nope}}".write(to: temp.appending("answer-style.md"), atomically: true, encoding: .utf8)
        #expect { try SystemPrompt.load(overridesIn: temp.url) } throws: { "\($0)".contains("answer-style.md:1: error: unknown placeholder {{nope}}") }
    }
}
